package io.cascadefarm.cascade.net.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * "T" block: {@code r_embed} is split into {@code 1+len(conds)} chunks; {@code a,b =
 * mapper(chunk0)} plus {@code mapper_<cond>(chunk_i)}; output {@code x*(1+a)+b}. Inference forwards
 * run as one {@link BlockScripts} call when it applies.
 */
public class TimestepBlock extends Module {
  private final List<Linear> mappers = new ArrayList<>();
  private final Parameter[] params;

  public TimestepBlock(long c, long cTimestep, List<String> conds) {
    mappers.add(child("mapper", new Linear(cTimestep, c * 2)));
    for (String cond : conds) {
      mappers.add(child("mapper_" + cond, new Linear(cTimestep, c * 2)));
    }
    params = new Parameter[2 * mappers.size()];
    for (int i = 0; i < mappers.size(); i++) {
      params[2 * i] = mappers.get(i).weight();
      params[2 * i + 1] = mappers.get(i).bias();
    }
  }

  public NDArray forward(NDArray x, NDArray rEmbed) {
    return BlockScripts.applies(params) ? forwardScripted(x, rEmbed) : forwardOps(x, rEmbed);
  }

  /** The forward as one {@link BlockScripts} call (inference only; weights held as arrays). */
  public NDArray forwardScripted(NDArray x, NDArray rEmbed) {
    return BlockScripts.shared(x.getDevice()).timestep(x, rEmbed, BlockScripts.arrays(params));
  }

  /** The op-by-op forward (differentiable: training, and {@code FARM_BLOCKS=ops}). */
  public NDArray forwardOps(NDArray x, NDArray rEmbed) {
    NDList chunks = rEmbed.split(mappers.size(), 1);
    NDArray ab = mappers.get(0).forward(chunks.get(0));
    NDList parts = ab.split(2, 1);
    NDArray a = parts.get(0);
    NDArray b = parts.get(1);
    for (int i = 1; i < mappers.size(); i++) {
      NDList extra = mappers.get(i).forward(chunks.get(i)).split(2, 1);
      a = a.add(extra.get(0));
      b = b.add(extra.get(1));
    }
    long n = a.getShape().get(0);
    long c = a.getShape().get(1);
    return Ops.addInPlace(x.mul(a.add(1f).reshape(n, c, 1, 1)), b.reshape(n, c, 1, 1));
  }
}
