package io.cascadefarm.cascade.tools.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Measures whether GPU fp32 matmuls run in TF32: multiplies two random 512x512 matrices on GPU 0
 * and on the CPU (fp32, no TF32 there) and compares. TF32 keeps 10 mantissa bits, so its relative
 * error is around 1e-3; full fp32 stays near 1e-6. The threshold 1e-4 separates the two.
 */
public record Tf32Probe(double relError) {
  static final double THRESHOLD = 1e-4;

  /** Runs the probe on GPU 0. */
  public static Tf32Probe measure() {
    try (NDManager cpu = NDManager.newBaseManager(Device.cpu());
        NDManager gpu = NDManager.newBaseManager(Device.gpu())) {
      NDArray a = cpu.randomNormal(new Shape(512, 512));
      NDArray b = cpu.randomNormal(new Shape(512, 512));
      NDArray ref = a.matMul(b);
      NDArray onGpu = a.toDevice(Device.gpu(), true).matMul(b.toDevice(Device.gpu(), true));
      onGpu.attach(gpu);
      NDArray back = onGpu.toDevice(Device.cpu(), true);
      float diff = back.sub(ref).abs().max().getFloat();
      float scale = ref.abs().max().getFloat();
      return new Tf32Probe(diff / scale);
    }
  }

  public boolean tf32() {
    return relError > THRESHOLD;
  }

  /** e.g. {@code measured: TF32 in use (rel err 1.2e-03 vs CPU fp32)}. */
  public String describe() {
    return String.format(
        "measured: %s (GPU matmul rel err %.1e vs CPU fp32)",
        tf32() ? "TF32 in use" : "full fp32", relError);
  }
}
