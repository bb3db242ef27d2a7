package io.cascadefarm.cascade.pipeline.control.face;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Tiny stand-ins with the buffalo_l interfaces: a "detector" whose nine SCRFD outputs are constants
 * holding one face (stride 32, cell x=4 y=3, anchor 0, box 64x96 px on the 320 input) and a
 * "recognizer" GlobalAveragePool -> Flatten -> MatMul(3 x dim) whose embedding depends on the crop.
 */
public final class TinyFaceModels {
  private TinyFaceModels() {}

  public static void write(Path dir, int dim) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("det_10g.onnx"), detector());
    Files.write(dir.resolve("w600k_r50.onnx"), recognizer(dim));
  }

  static byte[] detector() {
    OnnxWriter w = new OnnxWriter().input("input.1", 1, 3, 320, 320);
    String[] kinds = {"score", "bbox", "kps"};
    int[] widths = {1, 4, 10};
    for (int k = 0; k < 3; k++) {
      for (int stride : ScrfdDecoder.STRIDES) {
        int n = (320 / stride) * (320 / stride) * 2;
        float[] v = new float[n * widths[k]];
        if (stride == 32) {
          int i = (3 * 10 + 4) * 2;
          if (k == 0) {
            v[i] = 0.9f;
          } else if (k == 1) {
            System.arraycopy(new float[] {1f, 1.5f, 1f, 1.5f}, 0, v, i * 4, 4);
          } else {
            float[] kps = {-0.5f, -0.5f, 0.5f, -0.5f, 0f, 0f, -0.4f, 0.6f, 0.4f, 0.6f};
            System.arraycopy(kps, 0, v, i * 10, 10);
          }
        }
        String name = kinds[k] + stride;
        w.initializer(name + "_c", v, n, widths[k])
            .node("Identity", List.of(name + "_c"), List.of(name))
            .output(name, n, widths[k]);
      }
    }
    return w.toBytes();
  }

  static byte[] recognizer(int dim) {
    Random r = new Random(1);
    float[] weights = new float[3 * dim];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) r.nextGaussian();
    }
    return new OnnxWriter()
        .input("data", 1, 3, 112, 112)
        .initializer("w", weights, 3, dim)
        .node("GlobalAveragePool", List.of("data"), List.of("pooled"))
        .node("Flatten", List.of("pooled"), List.of("flat"), "axis", 1)
        .node("MatMul", List.of("flat", "w"), List.of("embedding"))
        .output("embedding", 1, dim)
        .toBytes();
  }
}
