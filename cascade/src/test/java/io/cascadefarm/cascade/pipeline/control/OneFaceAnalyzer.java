package io.cascadefarm.cascade.pipeline.control;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Test double for the ONNX face front end: one face covering the middle of the image, with an
 * embedding derived from the image's mean colour (so different images give different maps).
 */
final class OneFaceAnalyzer implements FaceAnalyzer {
  private final int dim;

  OneFaceAnalyzer(int dim) {
    this.dim = dim;
  }

  @Override
  public List<Face> analyze(BufferedImage image) {
    int rgb = image.getRGB(image.getWidth() / 2, image.getHeight() / 2);
    float[] e = new float[dim];
    double norm = 0;
    for (int i = 0; i < dim; i++) {
      e[i] = ((rgb >> (i % 24)) & 0xff) / 255f - 0.5f + i * 0.01f;
      norm += e[i] * e[i];
    }
    for (int i = 0; i < dim; i++) {
      e[i] /= (float) Math.sqrt(norm);
    }
    int w = image.getWidth();
    int h = image.getHeight();
    return List.of(new Face(w * 0.25f, h * 0.2f, w * 0.75f, h * 0.8f, e));
  }

  @Override
  public int embeddingSize() {
    return dim;
  }
}
