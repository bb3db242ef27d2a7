package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.cascadefarm.cascade.net.stageb.StageB;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.nn.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Adapts the Stage C and Stage B networks to {@link DiffusionModel} (conditioning by name). */
public final class CascadeDiffusionModels {
  private CascadeDiffusionModels() {}

  /** Stage C with {@code clip_text}, {@code clip_text_pooled}, {@code clip_img}; no t-conds. */
  public static DiffusionModel stageC(StageC net) {
    return withCnet(net, null);
  }

  /**
   * Stage C with ControlNet projections {@code cnet} (one entry per ResBlock call, null = none),
   * given for the B request rows. A guided step runs 2B rows, and each projection is then repeated
   * for the unconditional half, as gdf does when it concatenates the cond and uncond {@code cnet}
   * lists; an unguided step ({@code cfg <= 1}) runs the B rows as given. The doubling and the cast
   * to the weights' dtype (fp16) are done once here, not on every sampler step.
   */
  public static DiffusionModel stageC(StageC net, List<NDArray> cnet) {
    DataType type = net.dataType();
    List<NDArray> single = new ArrayList<>(cnet.size());
    List<NDArray> doubled = new ArrayList<>(cnet.size());
    long rows = -1;
    for (NDArray c : cnet) {
      NDArray typed = Module.cast(c, type);
      single.add(typed);
      doubled.add(typed == null ? null : typed.concat(typed, 0));
      if (typed != null) {
        rows = typed.getShape().get(0);
      }
    }
    long requestRows = rows;
    return (x, r, c) ->
        forward(net, x, r, c, x.getShape().get(0) == requestRows ? single : doubled);
  }

  private static DiffusionModel withCnet(StageC net, List<NDArray> cnet) {
    return (x, r, c) -> forward(net, x, r, c, cnet);
  }

  private static NDArray forward(
      StageC net, NDArray x, NDArray r, Map<String, NDArray> c, List<NDArray> cnet) {
    return net.forward(
        x,
        r,
        require(c, "clip_text"),
        require(c, "clip_text_pooled"),
        require(c, "clip_img"),
        null,
        cnet);
  }

  /** Stage B with {@code effnet} and {@code clip}; pixels default (zeros), no t-conds. */
  public static DiffusionModel stageB(StageB net) {
    return (x, r, c) -> net.forward(x, r, require(c, "effnet"), require(c, "clip"), null, null);
  }

  static NDArray require(Map<String, NDArray> c, String key) {
    NDArray a = c.get(key);
    if (a == null) {
      throw new IllegalArgumentException("missing conditioning '" + key + "'");
    }
    return a;
  }
}
