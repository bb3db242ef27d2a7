package io.cascadefarm.cascade.net.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.model.RandomWeights;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MicroResNetTest {

  @Test
  void keysAreTheOfficialStateDict() {
    List<String> keys = List.copyOf(new MicroResNet().namedParameters().keySet());
    assertEquals(
        List.of(
            "downsampler.1.weight",
            "downsampler.1.bias",
            "downsampler.2.weight",
            "downsampler.2.bias",
            "downsampler.5.weight",
            "downsampler.5.bias",
            "downsampler.6.weight",
            "downsampler.6.bias",
            "downsampler.9.weight",
            "downsampler.9.bias",
            "downsampler.10.weight",
            "downsampler.10.bias",
            "residual.0.resblock.1.weight",
            "residual.0.resblock.1.bias",
            "residual.0.resblock.2.weight",
            "residual.0.resblock.2.bias",
            "residual.0.resblock.5.weight",
            "residual.0.resblock.5.bias",
            "residual.0.resblock.6.weight",
            "residual.0.resblock.6.bias",
            "residual.1.weight",
            "residual.2.resblock.1.weight",
            "residual.2.resblock.1.bias",
            "residual.2.resblock.2.weight",
            "residual.2.resblock.2.bias",
            "residual.2.resblock.5.weight",
            "residual.2.resblock.5.bias",
            "residual.2.resblock.6.weight",
            "residual.2.resblock.6.bias",
            "segmentator.1.weight",
            "segmentator.1.bias",
            "segmentator.2.weight",
            "segmentator.2.bias",
            "segmentator.6.weight",
            "segmentator.6.bias"),
        keys);
    assertArrayEquals(
        new long[] {64, 1, 1, 1},
        new MicroResNet().namedParameters().get("residual.1.weight").shape());
  }

  @Test
  void reflectionPadMirrorsWithoutRepeatingTheEdge() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(0f, 6f).reshape(1, 1, 2, 3);
      NDArray y = new ReflectionPad(1).forward(x);
      assertEquals(new Shape(1, 1, 4, 5), y.getShape());
      assertArrayEquals(
          new float[] {4, 3, 4, 5, 4, 1, 0, 1, 2, 1, 4, 3, 4, 5, 4, 1, 0, 1, 2, 1},
          y.toFloatArray());
    }
  }

  @Test
  void bindsStrictlyAndMapsAn240pxImageToAProbabilityMap() throws Exception {
    Path file = Files.createTempFile(Path.of("target"), "saliency", ".safetensors");
    Files.delete(file);
    MicroResNet net = new MicroResNet();
    RandomWeights.ensure(net, "saliency", file);
    try (NDManager m = NDManager.newBaseManager();
        SafetensorsWeights src = SafetensorsWeights.open(file)) {
      WeightBinder.bind(net, src, m);
      NDArray out = net.forward(m.randomUniform(0f, 1f, new Shape(1, 3, 240, 320)));
      assertEquals(new Shape(1, 1, 30, 40), out.getShape());
      for (float v : out.toFloatArray()) {
        assertTrue(v > 0 && v < 1, "sigmoid output " + v);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
