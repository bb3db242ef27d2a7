package io.cascadefarm.cascade.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Multi-aspect-ratio buckets of {@code core/data/bucketeer.py Bucketeer} with the official ratios
 * ({@code multi_aspect_ratio} of the training configs, reciprocals appended): bucket {@code (H, W)
 * = (floor(sqrt(density / r) / f) * f, floor(sqrt(density * r) / f) * f)} with {@code density =
 * image_size^2}; an image goes to the bucket whose ratio is closest to its {@code w / h} (the first
 * on ties), is resized (bilinear, antialiased) so that it covers the bucket ({@link #resizeSize},
 * the shorter side's target) and randomly cropped.
 */
public final class AspectBuckets {
  /** {@code multi_aspect_ratio} of the official training configs. */
  public static final List<String> OFFICIAL_RATIOS =
      List.of("1/1", "1/2", "1/3", "2/3", "3/4", "1/5", "2/5", "3/5", "4/5", "1/6", "5/6", "9/16");

  /** One bucket: height and width in pixels. */
  public record Size(int height, int width) {}

  private final List<Double> ratios;
  private final List<Size> sizes;

  public AspectBuckets(int imageSize, int factor, List<String> ratios) {
    List<Double> r = new ArrayList<>();
    for (String f : ratios) {
      String[] p = f.split("/");
      r.add(
          p.length == 1
              ? Double.parseDouble(p[0])
              : Double.parseDouble(p[0]) / Double.parseDouble(p[1]));
    }
    for (double x : List.copyOf(r)) {
      if (!r.contains(1 / x)) {
        r.add(1 / x);
      }
    }
    double density = (double) imageSize * imageSize;
    List<Size> s = new ArrayList<>();
    for (double x : r) {
      s.add(
          new Size(
              (int) (Math.floor(Math.sqrt(density / x) / factor) * factor),
              (int) (Math.floor(Math.sqrt(density * x) / factor) * factor)));
    }
    this.ratios = List.copyOf(r);
    this.sizes = List.copyOf(s);
  }

  /** Buckets of the official ratios at {@code imageSize} (factor 32). */
  public static AspectBuckets official(int imageSize) {
    return new AspectBuckets(imageSize, 32, OFFICIAL_RATIOS);
  }

  public List<Double> ratios() {
    return ratios;
  }

  public List<Size> sizes() {
    return sizes;
  }

  /** Index of the bucket whose ratio is nearest to {@code width / height} (first on ties). */
  public int closest(int height, int width) {
    double r = (double) width / height;
    int best = 0;
    for (int i = 1; i < ratios.size(); i++) {
      if (Math.abs(r - ratios.get(i)) < Math.abs(r - ratios.get(best))) {
        best = i;
      }
    }
    return best;
  }

  /** {@code Bucketeer.get_resize_size}: the shorter side's length after the resize. */
  public static int resizeSize(int origH, int origW, Size target) {
    int th = target.height();
    int tw = target.width();
    if (((double) tw / th - 1) * ((double) origW / origH - 1) >= 0) {
      int altMin =
          (int)
              Math.ceil(
                  (double) Math.max(th, tw) * Math.min(origH, origW) / Math.max(origH, origW));
      return Math.max(altMin, Math.min(th, tw));
    }
    int altMax =
        (int)
            Math.ceil((double) Math.min(th, tw) * Math.max(origH, origW) / Math.min(origH, origW));
    return Math.max(altMax, Math.max(th, tw));
  }

  /**
   * torchvision {@code resize(img, size)} with an int size: the shorter side becomes {@code
   * shorter}, the longer {@code int(shorter * long / short)}. Returns {height, width}.
   */
  public static int[] resizedShape(int h, int w, int shorter) {
    if (h <= w) {
      return new int[] {shorter, (int) ((long) shorter * w / h)};
    }
    return new int[] {(int) ((long) shorter * h / w), shorter};
  }
}
