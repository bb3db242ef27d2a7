package io.cascadefarm.cascade.pipeline.control;

/**
 * A detected face: its box in pixels of the image it was found in and its identity embedding
 * (L2-normalised, 512-d for ArcFace w600k_r50).
 */
public record Face(float x1, float y1, float x2, float y2, float[] embedding) {
  public Face {
    embedding = embedding.clone();
  }
}
