package io.cascadefarm.cascade.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.cascadefarm.cascade.model.LatentPreviewer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The live previews of one Stage C run: after prior step {@code s}, every request whose {@code
 * previewEvery} divides {@code s} gets a Previewer rendering of its rows of the current clean
 * estimate x0 (as the official notebooks preview {@code sampled_c}, the final x0, and ComfyUI's
 * step callback previews x0 rather than the noisy latent), its images side by side, unless the
 * listener declines ({@link GenerationListener#wantsPreview}). Only the rows of those requests go
 * through the Previewer, in one call; a plan in which no request asked costs nothing (no instance
 * is made).
 */
final class LatentPreviews {
  private final LatentPreviewer previewer;
  private final BatchPlan plan;
  private final int[] firstRow;

  private LatentPreviews(LatentPreviewer previewer, BatchPlan plan) {
    this.previewer = previewer;
    this.plan = plan;
    List<GenerationRequest> requests = plan.requests();
    this.firstRow = new int[requests.size()];
    int row = 0;
    for (int r = 0; r < requests.size(); r++) {
      firstRow[r] = row;
      row += requests.get(r).images();
    }
  }

  /** The previews of {@code plan}, or null when no request asked or the model has no Previewer. */
  static LatentPreviews of(LatentPreviewer previewer, BatchPlan plan) {
    boolean asked = plan.requests().stream().anyMatch(r -> r.previewEvery() > 0);
    return previewer != null && asked ? new LatentPreviews(previewer, plan) : null;
  }

  /** Renders the previews due after 1-based prior step {@code step} and hands them over. */
  void afterStep(NDArray x0, int step, int steps, GenerationListener listener) {
    List<Integer> due = new ArrayList<>();
    List<NDArray> rows = new ArrayList<>();
    List<GenerationRequest> requests = plan.requests();
    for (int r = 0; r < requests.size(); r++) {
      int every = requests.get(r).previewEvery();
      if (every > 0 && step % every == 0 && listener.wantsPreview(plan.callerIndex(r))) {
        due.add(r);
        int from = firstRow[r];
        rows.add(x0.get(new NDIndex(from + ":" + (from + requests.get(r).images()))));
      }
    }
    if (due.isEmpty()) {
      return;
    }
    NDArray latents = due.size() == requests.size() ? x0 : NDArrays.concat(new NDList(rows));
    List<BufferedImage> images =
        ImageBatch.toImages(previewer.preview(latents).toType(DataType.FLOAT32, false));
    int next = 0;
    for (int r : due) {
      int n = requests.get(r).images();
      listener.onPreview(plan.callerIndex(r), step, steps, strip(images.subList(next, next + n)));
      next += n;
    }
  }

  private static BufferedImage strip(List<BufferedImage> images) {
    if (images.size() == 1) {
      return images.get(0);
    }
    int w = images.get(0).getWidth();
    int h = images.get(0).getHeight();
    BufferedImage out = new BufferedImage(w * images.size(), h, BufferedImage.TYPE_INT_RGB);
    var g = out.createGraphics();
    for (int i = 0; i < images.size(); i++) {
      g.drawImage(images.get(i), i * w, 0, null);
    }
    g.dispose();
    return out;
  }
}
