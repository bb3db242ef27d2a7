package io.cascadefarm.cascade.pipeline.control.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cascadefarm.cascade.pipeline.control.Face;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxFaceAnalyzerTest {
  @TempDir Path dir;

  static BufferedImage image(Color c) {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, 64, 64);
    g.dispose();
    return img;
  }

  @Test
  void tinyOnnxModelsRunOnOnnxRuntimeAndGiveBoxesAndUnitEmbeddings() throws Exception {
    TinyFaceModels.write(dir, 8);
    try (OnnxFaceAnalyzer a =
        OnnxFaceAnalyzer.open(dir.resolve("det_10g.onnx"), dir.resolve("w600k_r50.onnx"))) {
      assertEquals(8, a.embeddingSize());
      List<Face> faces = a.analyze(image(Color.ORANGE));
      assertEquals(1, faces.size());
      Face f = faces.get(0);
      // centre (128, 96) on the 320 input, distances (32, 48, 32, 48); 64 px image: scale 5
      assertEquals(96 / 5f, f.x1(), 1e-4);
      assertEquals(48 / 5f, f.y1(), 1e-4);
      assertEquals(160 / 5f, f.x2(), 1e-4);
      assertEquals(144 / 5f, f.y2(), 1e-4);
      double norm = 0;
      for (float v : f.embedding()) {
        norm += v * v;
      }
      assertEquals(1.0, norm, 1e-5);
      float[] other = a.analyze(image(Color.BLUE)).get(0).embedding();
      assertFalse(Arrays.equals(f.embedding(), other), "embedding follows the crop");
    }
  }

  @Test
  void missingOrBrokenFilesAreNamed() throws Exception {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OnnxFaceAnalyzer.open(dir.resolve("none.onnx"), dir.resolve("none2.onnx")));
    assertEquals(true, e.getMessage().contains("none.onnx"), e.getMessage());
  }

  @Test
  void decoderAppliesThresholdNmsAndScale() {
    float[][] outs = new float[9][];
    for (int s = 0; s < 3; s++) {
      int n = (320 / ScrfdDecoder.STRIDES[s]) * (320 / ScrfdDecoder.STRIDES[s]) * 2;
      outs[s] = new float[n];
      outs[s + 3] = new float[n * 4];
      outs[s + 6] = new float[n * 10];
    }
    // stride 8: two overlapping anchors of the same cell (0.8 and 0.7) and a weak one (0.4)
    int cell = 5 * 40 + 5;
    outs[0][cell * 2] = 0.8f;
    outs[0][cell * 2 + 1] = 0.7f;
    outs[0][0] = 0.4f;
    for (int a = 0; a < 2; a++) {
      System.arraycopy(new float[] {2, 2, 2, 2}, 0, outs[3], (cell * 2 + a) * 4, 4);
    }
    List<Detection> d = ScrfdDecoder.decode(outs, 320, 0.5f, 640, 640, 4);
    assertEquals(1, d.size(), "NMS keeps one, threshold drops 0.4");
    assertEquals(0.8f, d.get(0).score());
    assertArrayEquals(
        new float[] {(40 - 16) / 0.5f, (40 - 16) / 0.5f, (40 + 16) / 0.5f, (40 + 16) / 0.5f},
        new float[] {d.get(0).x1(), d.get(0).y1(), d.get(0).x2(), d.get(0).y2()});
  }

  @Test
  void similarityMapsTheTemplateOntoItselfAndUndoesAScaledRotation() {
    double[] id = FaceAlign.similarity(FaceAlign.TEMPLATE, FaceAlign.TEMPLATE);
    assertArrayEquals(new double[] {1, 0, 0, 0}, id, 1e-9);
    List<Float> moved = new ArrayList<>();
    double c = Math.cos(0.3) * 2;
    double s = Math.sin(0.3) * 2;
    float[] src = new float[10];
    for (int i = 0; i < 5; i++) {
      float x = FaceAlign.TEMPLATE[2 * i];
      float y = FaceAlign.TEMPLATE[2 * i + 1];
      src[2 * i] = (float) (c * x - s * y + 10);
      src[2 * i + 1] = (float) (s * x + c * y - 4);
      moved.add(src[2 * i]);
    }
    double[] m = FaceAlign.similarity(src, FaceAlign.TEMPLATE);
    double px = m[0] * src[0] - m[1] * src[1] + m[2];
    double py = m[1] * src[0] + m[0] * src[1] + m[3];
    assertEquals(FaceAlign.TEMPLATE[0], px, 1e-3);
    assertEquals(FaceAlign.TEMPLATE[1], py, 1e-3);
    assertEquals(0.5, Math.hypot(m[0], m[1]), 1e-5);
    assertEquals(5, moved.size());
  }
}
