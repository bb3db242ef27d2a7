package io.cascadefarm.cascade.io;

import java.util.Arrays;

/**
 * Header entry of one tensor.
 *
 * @param name tensor key
 * @param dtype element type
 * @param shape dimensions (empty for a scalar)
 * @param begin start offset relative to the data section
 * @param end end offset (exclusive) relative to the data section
 */
public record TensorInfo(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {

  /** Number of elements (1 for a scalar). */
  public long numel() {
    return numel(shape);
  }

  /** Byte length of the stored data. */
  public long byteLength() {
    return end - begin;
  }

  /** Shape rendered like {@code [2,16,12,10]}. */
  public String shapeText() {
    return shapeText(shape);
  }

  /** Number of elements of a shape. */
  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** Renders a shape without spaces, as the key manifests do. */
  public static String shapeText(long[] shape) {
    return Arrays.toString(shape).replace(" ", "");
  }

  @Override
  public String toString() {
    return name + " " + dtype + shapeText() + " @[" + begin + "," + end + ")";
  }
}
