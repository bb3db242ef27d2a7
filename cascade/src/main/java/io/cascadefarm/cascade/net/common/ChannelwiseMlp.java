package io.cascadefarm.cascade.net.common;

import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.Sequential;

/**
 * The per-pixel MLP of {@link ResBlock} and {@link FeedForwardBlock} on NHWC input: {@code
 * Linear(in, 4c) -> GELU -> GRN -> Dropout -> Linear(4c, c)} (keys {@code channelwise.0}, {@code
 * .2}, {@code .4}).
 */
final class ChannelwiseMlp {
  private final Linear expand;
  private final GlobalResponseNorm grn;
  private final Linear project;
  private final Sequential sequential;

  ChannelwiseMlp(long in, long c) {
    expand = new Linear(in, c * 4);
    grn = new GlobalResponseNorm(c * 4);
    project = new Linear(c * 4, c);
    sequential = new Sequential().add(expand).add(Ops::gelu).add(grn).identity().add(project);
  }

  /** The module to register as {@code channelwise}. */
  Sequential module() {
    return sequential;
  }

  /** Its parameters, in the order {@link BlockScripts}' {@code channelwise} reads them. */
  Parameter[] parameters() {
    return new Parameter[] {
      expand.weight(), expand.bias(), grn.gamma(), grn.beta(), project.weight(), project.bias()
    };
  }
}
