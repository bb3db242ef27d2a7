package io.cascadefarm.cascade.net.stageb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.net.stagec.StageCTinyTestSupport;
import io.cascadefarm.cascade.nn.WeightBinder;
import org.junit.jupiter.api.Test;

class StageBTinyTest {

  @Test
  void officialParameterCountsOfPresets() {
    assertEquals(1_562_941_136L, new StageB(StageBConfig.big()).numel());
    assertEquals(699_471_248L, new StageB(StageBConfig.lite()).numel());
  }

  @Test
  void tinyForwardHandlesOddLatentsAndFreesIntermediates() {
    StageB net = new StageB(StageBConfig.tiny());
    try (NDManager model = NDManager.newBaseManager();
        NDManager call = NDManager.newBaseManager()) {
      WeightBinder.bind(net, StageCTinyTestSupport.random(net), model);
      int weights = model.getManagedArrays().size();
      NDArray x = call.randomNormal(new Shape(1, 4, 22, 18));
      NDArray r = call.create(new float[] {0.5f});
      NDArray effnet = call.randomNormal(new Shape(1, 16, 5, 4));
      NDArray clip = call.randomNormal(new Shape(1, 1, 32));
      int before = call.getManagedArrays().size();
      NDArray y = net.forward(x, r, effnet, clip, null, null);
      assertArrayEquals(new long[] {1, 4, 22, 18}, y.getShape().getShape());
      assertEquals(before + 1, call.getManagedArrays().size());
      assertEquals(weights, model.getManagedArrays().size());
    }
  }
}
