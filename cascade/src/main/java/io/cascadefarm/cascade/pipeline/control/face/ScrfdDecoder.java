package io.cascadefarm.cascade.pipeline.control.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decodes SCRFD outputs as the official {@code FaceDetector}: three strides (8, 16, 32), two
 * anchors per cell, outputs ordered scores x3, box distances x3, landmark offsets x3 (each scaled
 * by its stride), score threshold {@value #THRESHOLD}, NMS at IoU {@value #NMS}, coordinates
 * divided by the letterbox scale, at most {@code maxNum} faces by area minus twice the squared
 * distance of the box centre from the image centre.
 */
final class ScrfdDecoder {
  static final float THRESHOLD = 0.5f;
  static final float NMS = 0.4f;
  static final int[] STRIDES = {8, 16, 32};
  static final int ANCHORS = 2;

  private ScrfdDecoder() {}

  /**
   * @param outs the nine output arrays (flattened)
   * @param size detector input side (320)
   * @param scale letterbox scale (resized / original)
   */
  static List<Detection> decode(
      float[][] outs, int size, float scale, int imageW, int imageH, int maxNum) {
    List<Detection> all = new ArrayList<>();
    for (int s = 0; s < STRIDES.length; s++) {
      int stride = STRIDES[s];
      int cells = (size / stride) * (size / stride);
      int w = size / stride;
      float[] scores = outs[s];
      float[] box = outs[s + 3];
      float[] kps = outs[s + 6];
      for (int i = 0; i < cells * ANCHORS; i++) {
        if (scores[i] < THRESHOLD) {
          continue;
        }
        int cell = i / ANCHORS;
        float cx = (cell % w) * stride;
        float cy = (cell / w) * stride;
        float[] k = new float[10];
        for (int j = 0; j < 5; j++) {
          k[2 * j] = (cx + kps[i * 10 + 2 * j] * stride) / scale;
          k[2 * j + 1] = (cy + kps[i * 10 + 2 * j + 1] * stride) / scale;
        }
        all.add(
            new Detection(
                (cx - box[i * 4] * stride) / scale,
                (cy - box[i * 4 + 1] * stride) / scale,
                (cx + box[i * 4 + 2] * stride) / scale,
                (cy + box[i * 4 + 3] * stride) / scale,
                scores[i],
                k));
      }
    }
    all.sort(Comparator.comparingDouble((Detection d) -> d.score()).reversed());
    List<Detection> kept = nms(all);
    if (maxNum > 0 && kept.size() > maxNum) {
      float icx = imageW / 2f;
      float icy = imageH / 2f;
      kept.sort(
          Comparator.comparingDouble(
                  (Detection d) -> {
                    float ox = (d.x1() + d.x2()) / 2 - icx;
                    float oy = (d.y1() + d.y2()) / 2 - icy;
                    return d.area() - 2.0 * (ox * ox + oy * oy);
                  })
              .reversed());
      kept = new ArrayList<>(kept.subList(0, maxNum));
    }
    return kept;
  }

  /** Greedy NMS over score-sorted boxes (the official +1 pixel area convention). */
  static List<Detection> nms(List<Detection> sorted) {
    List<Detection> keep = new ArrayList<>();
    for (Detection d : sorted) {
      boolean ok = true;
      for (Detection k : keep) {
        if (iou(d, k) > NMS) {
          ok = false;
          break;
        }
      }
      if (ok) {
        keep.add(d);
      }
    }
    return keep;
  }

  private static float iou(Detection a, Detection b) {
    float w = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()) + 1);
    float h = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()) + 1);
    float inter = w * h;
    float areaA = (a.x2() - a.x1() + 1) * (a.y2() - a.y1() + 1);
    float areaB = (b.x2() - b.x1() + 1) * (b.y2() - b.y1() + 1);
    return inter / (areaA + areaB - inter);
  }
}
