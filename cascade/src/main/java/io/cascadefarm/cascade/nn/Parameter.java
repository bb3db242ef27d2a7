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
    return array != null;
  }

  /** The bound value; throws if the module has not been bound yet. */
  public NDArray array() {
    if (array == null) {
      throw new IllegalStateException("parameter '" + name + "' is not bound to a weight");
    }
    return array;
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
  }

  /** Forgets the value (does not close it). */
  public void unbind() {
    this.array = null;
  }

  @Override
  public String toString() {
    return name + TensorInfo.shapeText(shape);
  }
}
