package io.cascadefarm.cascade.net.saliency;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * With the official weights (a safetensors conversion of {@code saliency_model.pt}, passed as
 * {@code -Dfarm.saliency.weights=FILE}; not shipped, so skipped by default): they bind strictly and
 * a centred object on a flat background is more salient than the background.
 */
class SaliencyRealWeightsTest {
  @Test
  void officialWeightsFindACentredObject() throws Exception {
    String file = System.getProperty("farm.saliency.weights");
    assumeTrue(file != null && Files.isRegularFile(Path.of(file)), "no saliency weights given");
    MicroResNet net = new MicroResNet();
    int h = 240;
    int w = 320;
    float[] rgb = new float[3 * h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double dx = (x - w / 2.0) / 60;
        double dy = (y - h / 2.0) / 60;
        boolean object = dx * dx + dy * dy < 1;
        rgb[y * w + x] = object ? 0.9f : 0.55f;
        rgb[h * w + y * w + x] = object ? 0.2f : 0.6f;
        rgb[2 * h * w + y * w + x] = object ? 0.1f : 0.65f;
      }
    }
    try (NDManager m = NDManager.newBaseManager();
        SafetensorsWeights src = SafetensorsWeights.open(Path.of(file))) {
      WeightBinder.bind(net, src, m);
      NDArray s = net.forward(m.create(rgb, new Shape(1, 3, h, w)));
      long sh = s.getShape().get(2);
      long sw = s.getShape().get(3);
      float centre = s.get(0, 0, sh / 2, sw / 2).getFloat();
      float corner = s.get(0, 0, 2, 2).getFloat();
      System.out.printf("saliency centre %.4f corner %.4f%n", centre, corner);
      assertTrue(centre > corner, "centre " + centre + " corner " + corner);
    }
  }
}
