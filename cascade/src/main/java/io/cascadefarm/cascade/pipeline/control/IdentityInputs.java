package io.cascadefarm.cascade.pipeline.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.net.controlnet.ControlNet;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.ImageTensors;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Identity ControlNet input: faces of each row's image (fitted to the output size) from the {@link
 * FaceAnalyzer}, drawn into a {@link FaceMap} of (B, c_in, H/32, W/32).
 */
final class IdentityInputs {
  private IdentityInputs() {}

  static NDArray build(
      ControlNet net, FaceAnalyzer analyzer, List<GenerationRequest> rows, NDManager manager) {
    int w = rows.get(0).width();
    int h = rows.get(0).height();
    int dim = net.config().cIn();
    if (analyzer.embeddingSize() != dim) {
      throw new IllegalArgumentException(
          "identity: the face recognizer gives "
              + analyzer.embeddingSize()
              + "-d embeddings but the identity ControlNet takes "
              + dim);
    }
    int plane = dim * (h / FaceMap.CELL) * (w / FaceMap.CELL);
    float[] all = new float[rows.size() * plane];
    for (int i = 0; i < rows.size(); i++) {
      BufferedImage fitted = ImageTensors.coverCrop(rows.get(i).image(), w, h);
      float[] map = FaceMap.build(analyzer.analyze(fitted), dim, w, h);
      System.arraycopy(map, 0, all, i * plane, plane);
    }
    return manager.create(all, new Shape(rows.size(), dim, h / FaceMap.CELL, w / FaceMap.CELL));
  }
}
