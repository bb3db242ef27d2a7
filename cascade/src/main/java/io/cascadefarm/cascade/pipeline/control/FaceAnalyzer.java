package io.cascadefarm.cascade.pipeline.control;

import java.awt.image.BufferedImage;
import java.util.List;

/** Finds faces and their identity embeddings in an image (the identity filter's front end). */
public interface FaceAnalyzer extends AutoCloseable {
  /** Faces of {@code image}, best first; embeddings L2-normalised. */
  List<Face> analyze(BufferedImage image);

  /** Embedding width (512 for ArcFace). */
  int embeddingSize();

  @Override
  default void close() {}
}
