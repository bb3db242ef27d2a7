package io.cascadefarm.cascade.pipeline.control;

import java.util.List;

/**
 * The {@code IdentityFilter} map (official modules/controlnet.py IdentityFilter): a (dim, h, w)
 * grid (h = H/32, w = W/32 for an H x W image) that is zero except inside each face box, where the
 * face's embedding is written. As the official code: box truncated to int, divided by 32, clamped
 * at 0, rounded half-to-even, end at least start + 1, sliced within the grid; later faces overwrite
 * earlier ones; at most {@value #MAX_FACES} faces (inference: no random dropping or full-map
 * filling).
 */
public final class FaceMap {
  public static final int MAX_FACES = 4;
  public static final int CELL = 32;

  private FaceMap() {}

  /** Channel-major (dim * h * w) map of {@code faces} for an image of {@code px} pixels. */
  public static float[] build(List<Face> faces, int dim, int widthPx, int heightPx) {
    int w = widthPx / CELL;
    int h = heightPx / CELL;
    float[] map = new float[dim * h * w];
    for (Face f : faces.subList(0, Math.min(MAX_FACES, faces.size()))) {
      if (f.embedding().length != dim) {
        throw new IllegalArgumentException(
            "identity: face embedding has " + f.embedding().length + " values, expected " + dim);
      }
      int x1 = cell(f.x1());
      int y1 = cell(f.y1());
      int x2 = Math.min(w, Math.max(cell(f.x2()), x1 + 1));
      int y2 = Math.min(h, Math.max(cell(f.y2()), y1 + 1));
      for (int c = 0; c < dim; c++) {
        for (int y = y1; y < y2; y++) {
          for (int x = x1; x < x2; x++) {
            map[(c * h + y) * w + x] = f.embedding()[c];
          }
        }
      }
    }
    return map;
  }

  private static int cell(float px) {
    return (int) Math.rint(Math.max(0, (int) px / (double) CELL));
  }
}
