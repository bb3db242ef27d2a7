package io.cascadefarm.cascade.pipeline.control.face;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal ONNX (protobuf) writer for tests: float tensors only, IR 7, opset 13. Enough for small
 * graphs of Identity / GlobalAveragePool / Flatten / MatMul nodes with initializers.
 */
final class OnnxWriter {
  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();

  OnnxWriter input(String name, long... shape) {
    inputs.add(valueInfo(name, shape));
    return this;
  }

  OnnxWriter output(String name, long... shape) {
    outputs.add(valueInfo(name, shape));
    return this;
  }

  OnnxWriter initializer(String name, float[] values, long... shape) {
    Msg t = new Msg();
    for (long d : shape) {
      t.varint(1, d);
    }
    t.varint(2, 1);
    t.string(8, name);
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    t.bytes(9, b.array());
    initializers.add(t.toBytes());
    return this;
  }

  /** A node; {@code intAttrs} are name/value pairs of INT attributes. */
  OnnxWriter node(String op, List<String> in, List<String> out, Object... intAttrs) {
    Msg n = new Msg();
    in.forEach(s -> n.string(1, s));
    out.forEach(s -> n.string(2, s));
    n.string(3, op + "_" + nodes.size());
    n.string(4, op);
    for (int i = 0; i < intAttrs.length; i += 2) {
      Msg a = new Msg();
      a.string(1, (String) intAttrs[i]);
      a.varint(3, ((Number) intAttrs[i + 1]).longValue());
      a.varint(20, 2);
      n.bytes(5, a.toBytes());
    }
    nodes.add(n.toBytes());
    return this;
  }

  byte[] toBytes() {
    Msg g = new Msg();
    nodes.forEach(b -> g.bytes(1, b));
    g.string(2, "test");
    initializers.forEach(b -> g.bytes(5, b));
    inputs.forEach(b -> g.bytes(11, b));
    outputs.forEach(b -> g.bytes(12, b));
    Msg opset = new Msg();
    opset.string(1, "");
    opset.varint(2, 13);
    Msg m = new Msg();
    m.varint(1, 7);
    m.string(2, "cascade-farm-test");
    m.bytes(7, g.toBytes());
    m.bytes(8, opset.toBytes());
    return m.toBytes();
  }

  private static byte[] valueInfo(String name, long... shape) {
    Msg dims = new Msg();
    for (long d : shape) {
      Msg dim = new Msg();
      dim.varint(1, d);
      dims.bytes(1, dim.toBytes());
    }
    Msg tensor = new Msg();
    tensor.varint(1, 1);
    tensor.bytes(2, dims.toBytes());
    Msg type = new Msg();
    type.bytes(1, tensor.toBytes());
    Msg v = new Msg();
    v.string(1, name);
    v.bytes(2, type.toBytes());
    return v.toBytes();
  }

  /** Protobuf message bytes. */
  private static final class Msg {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void varint(int field, long value) {
      raw((field << 3) | 0);
      raw(value);
    }

    void bytes(int field, byte[] value) {
      raw((field << 3) | 2);
      raw(value.length);
      out.writeBytes(value);
    }

    void string(int field, String value) {
      bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }
}
