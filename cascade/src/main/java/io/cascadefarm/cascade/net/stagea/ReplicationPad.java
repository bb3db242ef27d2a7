package io.cascadefarm.cascade.net.stagea;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/** {@code nn.ReplicationPad2d(1)} on NCHW: repeats the border row/column once on every side. */
final class ReplicationPad {
  private ReplicationPad() {}

  static NDArray pad1(NDArray x) {
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    NDArray left = x.get(":, :, :, 0:1");
    NDArray right = x.get(":, :, :, " + (w - 1) + ":" + w);
    NDArray wide = NDArrays.concat(new NDList(left, x, right), 3);
    NDArray top = wide.get(":, :, 0:1, :");
    NDArray bottom = wide.get(":, :, " + (h - 1) + ":" + h + ", :");
    return NDArrays.concat(new NDList(top, wide, bottom), 2);
  }
}
