package io.cascadefarm.cascade.pipeline.control.face;

/**
 * A detected face in image pixels: box, score and the five landmarks (x0,y0,...,x4,y4: eyes, nose,
 * mouth corners).
 */
record Detection(float x1, float y1, float x2, float y2, float score, float[] kps) {
  float area() {
    return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  }
}
