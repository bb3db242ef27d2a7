package io.cascadefarm.cascade.net.stagea;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Norms;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.Sequential;

/**
 * Stage A's {@code ResBlock(c, c_hidden)}: two residual branches (replication-padded depthwise 3x3
 * conv, then a per-pixel MLP), each preceded by a non-affine LayerNorm (eps 1e-6) modulated by the
 * six learned scalars {@code gammas}.
 */
public final class StageAResBlock extends Module implements Layer {
  private static final float EPS = 1e-6f;
  private final Parameter gammas;
  private final Sequential depthwise;
  private final Sequential channelwise;

  public StageAResBlock(long c, long cHidden) {
    gammas = param("gammas", 6);
    depthwise =
        child(
            "depthwise",
            new Sequential()
                .add(ReplicationPad::pad1)
                .add(new Conv2d(c, c, 3, 1, 0, (int) c, true)));
    channelwise =
        child(
            "channelwise",
            new Sequential()
                .add(new Linear(c, cHidden))
                .add(Ops::gelu)
                .add(new Linear(cHidden, c)));
  }

  @Override
  public NDArray forward(NDArray x) {
    float[] g = gammas.array().toFloatArray();
    NDArray t = Norms.layerNorm2d(x, null, null, EPS).mul(1f + g[0]).add(g[1]);
    NDArray h = x.add(depthwise.forward(t).mul(g[2]));
    NDArray nhwc = Norms.layerNorm2d(h, null, null, EPS).mul(1f + g[3]).add(g[4]);
    NDArray mlp = channelwise.forward(nhwc.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2);
    return h.add(mlp.mul(g[5]));
  }
}
