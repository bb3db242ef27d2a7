package io.cascadefarm.cascade.net.common;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Identity;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.ModuleList;
import io.cascadefarm.cascade.nn.Resample;
import io.cascadefarm.cascade.nn.Scope;
import io.cascadefarm.cascade.nn.Trace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The level stack shared by StageB and StageC: {@code down_blocks}, {@code down_downscalers},
 * {@code down_repeat_mappers}, {@code up_blocks}, {@code up_upscalers}, {@code up_repeat_mappers}
 * (registered in that order by {@link #buildLevels}) and the official {@code _down_encode} / {@code
 * _up_decode} loops. Each block runs in its own sub-manager; superseded activations are closed
 * right away.
 */
public abstract class CascadeUNet extends Module {
  private UNetSpec spec;
  private ModuleList<ModuleList<Module>> downBlocks;
  private ModuleList<Module> downScalers;
  private ModuleList<ModuleList<Conv2d>> downRepeat;
  private ModuleList<ModuleList<Module>> upBlocks;
  private ModuleList<Module> upScalers;
  private ModuleList<ModuleList<Conv2d>> upRepeat;

  /**
   * Registers the level modules. {@code downscaler.apply(i)} builds level i's downscaler (i > 0),
   * {@code upscaler.apply(i)} the upscaler from level i to i-1 (i > 0).
   */
  protected final void buildLevels(
      UNetSpec spec, IntFunction<Module> downscaler, IntFunction<Module> upscaler) {
    this.spec = spec;
    int levels = spec.levels();
    downBlocks = child("down_blocks", new ModuleList<>());
    downScalers = child("down_downscalers", new ModuleList<>());
    downRepeat = child("down_repeat_mappers", new ModuleList<>());
    for (int i = 0; i < levels; i++) {
      downScalers.add(i > 0 ? downscaler.apply(i) : new Identity());
      ModuleList<Module> level = new ModuleList<>();
      for (int n = 0; n < spec.blocks()[0][i]; n++) {
        for (char t : spec.levelConfig().get(i).toCharArray()) {
          level.add(BlockFactory.create(t, spec, i, 0));
        }
      }
      downBlocks.add(level);
      if (spec.blockRepeat() != null) {
        downRepeat.add(repeatMappers(spec.cHidden()[i], spec.blockRepeat()[0][i]));
      }
    }
    upBlocks = child("up_blocks", new ModuleList<>());
    upScalers = child("up_upscalers", new ModuleList<>());
    upRepeat = child("up_repeat_mappers", new ModuleList<>());
    for (int i = levels - 1; i >= 0; i--) {
      upScalers.add(i > 0 ? upscaler.apply(i) : new Identity());
      ModuleList<Module> level = new ModuleList<>();
      for (int j = 0; j < spec.blocks()[1][levels - 1 - i]; j++) {
        char[] types = spec.levelConfig().get(i).toCharArray();
        for (int k = 0; k < types.length; k++) {
          long cSkip = i < levels - 1 && j == 0 && k == 0 ? spec.cHidden()[i] : 0;
          level.add(BlockFactory.create(types[k], spec, i, cSkip));
        }
      }
      upBlocks.add(level);
      if (spec.blockRepeat() != null) {
        upRepeat.add(repeatMappers(spec.cHidden()[i], spec.blockRepeat()[1][levels - 1 - i]));
      }
    }
  }

  private static ModuleList<Conv2d> repeatMappers(long c, int repeats) {
    ModuleList<Conv2d> list = new ModuleList<>();
    for (int r = 0; r < repeats - 1; r++) {
      list.add(new Conv2d(c, c, 1));
    }
    return list;
  }

  public UNetSpec spec() {
    return spec;
  }

  /** {@code _down_encode} + {@code _up_decode}; {@code cnet} may be null. */
  protected final NDArray runLevels(NDArray x, NDArray rEmbed, NDArray clip, CnetInjection cnet) {
    Set<NDArray> keep = Collections.newSetFromMap(new IdentityHashMap<>());
    keep.add(x);
    List<NDArray> levelOutputs = new ArrayList<>();
    NDArray h = x;
    for (int i = 0; i < downBlocks.size(); i++) {
      h = advance(h, layer(downScalers.get(i), h), keep, "down_downscalers." + i);
      ModuleList<Module> level = downBlocks.get(i);
      int repeats = downRepeat.size() > i ? downRepeat.get(i).size() : 0;
      for (int rep = 0; rep <= repeats; rep++) {
        for (int k = 0; k < level.size(); k++) {
          Module block = level.get(k);
          if (block instanceof ResBlock && cnet != null) {
            h = advance(h, cnet.next(h), keep, null);
          }
          h = advance(h, block(block, h, rEmbed, clip, null), keep, "down_blocks." + i + "." + k);
        }
        if (rep < repeats) {
          h =
              advance(
                  h,
                  layer(downRepeat.get(i).get(rep), h),
                  keep,
                  "down_repeat_mappers." + i + "." + rep);
        }
      }
      levelOutputs.add(0, h);
      keep.add(h);
    }
    return decode(levelOutputs, rEmbed, clip, cnet, keep);
  }

  private NDArray decode(
      List<NDArray> levelOutputs,
      NDArray rEmbed,
      NDArray clip,
      CnetInjection cnet,
      Set<NDArray> keep) {
    NDArray h = levelOutputs.get(0);
    for (int i = 0; i < upBlocks.size(); i++) {
      ModuleList<Module> level = upBlocks.get(i);
      int repeats = upRepeat.size() > i ? upRepeat.get(i).size() : 0;
      for (int j = 0; j <= repeats; j++) {
        for (int k = 0; k < level.size(); k++) {
          Module block = level.get(k);
          NDArray skip = null;
          if (block instanceof ResBlock) {
            skip = k == 0 && i > 0 ? levelOutputs.get(i) : null;
            if (skip != null && !h.getShape().slice(2).equals(skip.getShape().slice(2))) {
              h =
                  advance(
                      h,
                      Resample.bilinearAc(h, skip.getShape().get(2), skip.getShape().get(3)),
                      keep,
                      null);
            }
            if (cnet != null) {
              h = advance(h, cnet.next(h), keep, null);
            }
          }
          h = advance(h, block(block, h, rEmbed, clip, skip), keep, "up_blocks." + i + "." + k);
        }
        if (j < repeats) {
          h =
              advance(
                  h, layer(upRepeat.get(i).get(j), h), keep, "up_repeat_mappers." + i + "." + j);
        }
      }
      h = advance(h, layer(upScalers.get(i), h), keep, "up_upscalers." + i);
    }
    return h;
  }

  private static NDArray layer(Module m, NDArray h) {
    return Scope.run(() -> ((Layer) m).forward(h), h);
  }

  private static NDArray block(Module b, NDArray h, NDArray rEmbed, NDArray clip, NDArray skip) {
    if (b instanceof ResBlock res) {
      return Scope.run(() -> res.forward(h, skip), h, skip);
    } else if (b instanceof TimestepBlock t) {
      return Scope.run(() -> t.forward(h, rEmbed), h, rEmbed);
    } else if (b instanceof AttnBlock a) {
      return Scope.run(() -> a.forward(h, clip), h, clip);
    } else if (b instanceof FeedForwardBlock f) {
      return Scope.run(() -> f.forward(h), h);
    }
    throw new IllegalStateException("unknown block " + b.getClass());
  }

  /** Replaces the running activation, closing the old one unless retained; records a trace. */
  private static NDArray advance(NDArray old, NDArray next, Set<NDArray> keep, String tracePath) {
    if (old != next && !keep.contains(old)) {
      old.close();
    }
    if (tracePath != null) {
      Trace.record(tracePath, next);
    }
    return next;
  }
}
