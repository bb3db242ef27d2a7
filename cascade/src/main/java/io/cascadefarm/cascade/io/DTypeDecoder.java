package io.cascadefarm.cascade.io;

import java.nio.ByteBuffer;

/** Decodes little-endian tensor bytes into Java arrays. */
final class DTypeDecoder {
  private DTypeDecoder() {}

  static void decodeFloats(SafetensorsDType type, ByteBuffer buf, float[] out, int[] index) {
    int i = index[0];
    switch (type) {
      case F32 -> {
        int n = buf.remaining() / 4;
        buf.asFloatBuffer().get(out, i, n);
        i += n;
      }
      case BF16 -> {
        while (buf.hasRemaining()) {
          out[i++] = Float16.bf16ToFloat(buf.getShort());
        }
      }
      case F16 -> {
        while (buf.hasRemaining()) {
          out[i++] = Float16.f16ToFloat(buf.getShort());
        }
      }
      case F64 -> {
        while (buf.hasRemaining()) {
          out[i++] = (float) buf.getDouble();
        }
      }
      default -> throw new IllegalArgumentException("not a float type: " + type);
    }
    index[0] = i;
  }

  static void decodeLongs(SafetensorsDType type, ByteBuffer buf, long[] out, int[] index) {
    int i = index[0];
    switch (type) {
      case I64 -> {
        int n = buf.remaining() / 8;
        buf.asLongBuffer().get(out, i, n);
        i += n;
      }
      case I32 -> {
        while (buf.hasRemaining()) {
          out[i++] = buf.getInt();
        }
      }
      case U8 -> {
        while (buf.hasRemaining()) {
          out[i++] = buf.get() & 0xff;
        }
      }
      default -> throw new IllegalArgumentException("not an integer type: " + type);
    }
    index[0] = i;
  }
}
