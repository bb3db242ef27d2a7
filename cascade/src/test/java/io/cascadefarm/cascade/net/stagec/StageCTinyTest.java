package io.cascadefarm.cascade.net.stagec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageCTinyTest {

  @Test
  void officialParameterCountsOfPresets() {
    assertEquals(3_589_103_632L, new StageC(StageCConfig.big()).numel());
    assertEquals(1_030_785_040L, new StageC(StageCConfig.lite()).numel());
  }

  @Test
  void tinyForwardKeepsShapeAndFreesIntermediates() {
    StageC net = new StageC(StageCConfig.tiny());
    try (NDManager model = NDManager.newBaseManager();
        NDManager call = NDManager.newBaseManager()) {
      WeightBinder.bind(net, StageCTinyTestSupport.random(net), model);
      int weights = model.getManagedArrays().size();
      NDArray x = call.randomNormal(new Shape(2, 16, 6, 5));
      NDArray r = call.create(new float[] {0.3f, 0.9f});
      NDArray text = call.randomNormal(new Shape(2, 3, 32));
      NDArray pooled = call.randomNormal(new Shape(2, 1, 32));
      NDArray img = call.zeros(new Shape(2, 1, 24));
      Map<String, NDArray> tConds = Map.of("sca", call.create(new float[] {0.5f, 0f}));
      List<NDArray> cnet = List.of(call.randomNormal(new Shape(2, 32, 3, 3)));
      int before = call.getManagedArrays().size();
      NDArray y = net.forward(x, r, text, pooled, img, tConds, cnet);
      assertArrayEquals(new long[] {2, 16, 6, 5}, y.getShape().getShape());
      assertFalse(Float.isNaN(y.sum().getFloat()));
      assertEquals(
          before + 2, call.getManagedArrays().size(), "only the output (and its sum) remain");
      assertEquals(
          weights, model.getManagedArrays().size(), "nothing attached to the weights' manager");
    }
  }
}
