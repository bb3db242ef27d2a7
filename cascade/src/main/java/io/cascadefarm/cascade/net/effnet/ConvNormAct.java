package io.cascadefarm.cascade.net.effnet;

import io.cascadefarm.cascade.nn.BatchNorm2d;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Sequential;

/**
 * torchvision {@code Conv2dNormActivation}: bias-free conv ({@code .0}), BatchNorm ({@code .1}) and
 * optionally SiLU; padding {@code (k-1)/2} unless given.
 */
final class ConvNormAct {
  private ConvNormAct() {}

  static Sequential of(
      int in, int out, int kernel, int stride, int groups, float eps, boolean act) {
    return of(in, out, kernel, stride, (kernel - 1) / 2, groups, eps, act);
  }

  static Sequential of(
      int in, int out, int kernel, int stride, int pad, int groups, float eps, boolean act) {
    Sequential s =
        new Sequential()
            .add(new Conv2d(in, out, kernel, stride, pad, groups, false))
            .add(new BatchNorm2d(out, eps));
    return act ? s.add(Ops::silu) : s;
  }
}
