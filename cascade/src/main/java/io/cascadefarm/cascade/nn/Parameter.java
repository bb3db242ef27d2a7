package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.io.TensorInfo;
import java.util.Arrays;

/**
 * A named, shaped state entry of a {@link Module} (a learnable parameter or a buffer such as a
 * BatchNorm running mean). Declared without data; {@link WeightBinder} fills {@link #array()}.
 */
public final class Parameter {
  private final String name;
  private final long[] shape;
  private final boolean buffer;
  private NDArray array;
  private Scripted scripted;

  /**
   * A weight held in reduced precision inside a {@link ScriptKernels} module (slot {@code slot},
   * TorchScript type {@code dtype}) instead of a DJL array.
   */
  public record Scripted(ScriptKernels kernels, int slot, int dtype) {}

  Parameter(String name, long[] shape, boolean buffer) {
    this.name = name;
    this.shape = shape.clone();
    this.buffer = buffer;
  }

  /** Local name inside its module (e.g. {@code weight}). */
  public String name() {
    return name;
  }

  public long[] shape() {
    return shape.clone();
  }

  public long numel() {
    return TensorInfo.numel(shape);
  }

  /** True for buffers (running statistics), false for learnable parameters. */
  public boolean isBuffer() {
    return buffer;
  }

  public boolean isBound() {
    return array != null || scripted != null;
  }

  /** True when the value lives in a {@link ScriptKernels} module ({@link #scripted()}). */
  public boolean isScripted() {
    return scripted != null;
  }

  /** Where the reduced-precision value lives (null unless {@link #isScripted()}). */
  public Scripted scripted() {
    return scripted;
  }

  /** The bound value; throws if the module has not been bound yet or the value is scripted. */
  public NDArray array() {
    if (array == null) {
      throw new IllegalStateException(
          "parameter '"
              + name
              + (scripted != null
                  ? "' is held in reduced precision by TorchScript kernels (no DJL array)"
                  : "' is not bound to a weight"));
    }
    return array;
  }

  /**
   * Moves the bound float32 value into {@code kernels}, converted to {@code dtype} (the array is
   * closed); no-op if already scripted.
   */
  public void script(ScriptKernels kernels, int dtype) {
    if (scripted != null) {
      return;
    }
    NDArray old = array();
    scripted = new Scripted(kernels, kernels.put(old, dtype), dtype);
    array = null;
    old.close();
  }

  /** Binds to the same value as {@code other} (array or scripted slot), sharing it. */
  public void shareFrom(Parameter other) {
    if (other.scripted != null) {
      this.scripted = other.scripted;
      this.array = null;
    } else {
      set(other.array());
    }
  }

  /** Replaces the value (shape must match); the caller owns the array's manager. */
  public void set(NDArray value) {
    long[] actual = value.getShape().getShape();
    if (!Arrays.equals(actual, shape)) {
      throw new IllegalArgumentException(
          "parameter '"
              + name
              + "': shape "
              + TensorInfo.shapeText(actual)
              + " does not match declared "
              + TensorInfo.shapeText(shape));
    }
    this.array = value;
    this.scripted = null;
  }

  /** Forgets the value (does not close it). */
  public void unbind() {
    this.array = null;
    this.scripted = null;
  }

  @Override
  public String toString() {
    return name + TensorInfo.shapeText(shape);
  }
}
