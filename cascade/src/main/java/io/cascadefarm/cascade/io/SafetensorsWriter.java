package io.cascadefarm.cascade.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects tensors in memory and writes a standard safetensors file (F32, BF16 or I64 entries, in
 * insertion order, header padded with spaces to a multiple of 8). Meant for tests and tooling, not
 * for multi-GB checkpoints.
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Entry(String name, SafetensorsDType dtype, long[] shape, Object data) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** Adds a float32 tensor. */
  public SafetensorsWriter addF32(String name, long[] shape, float[] data) {
    return add(new Entry(name, SafetensorsDType.F32, shape.clone(), data.clone()), data.length);
  }

  /** Adds a tensor stored as bfloat16 (values rounded to nearest even). */
  public SafetensorsWriter addBf16(String name, long[] shape, float[] data) {
    return add(new Entry(name, SafetensorsDType.BF16, shape.clone(), data.clone()), data.length);
  }

  /** Adds an int64 tensor. */
  public SafetensorsWriter addI64(String name, long[] shape, long[] data) {
    return add(new Entry(name, SafetensorsDType.I64, shape.clone(), data.clone()), data.length);
  }

  /** Adds an NDArray: integer types as I64, everything else as F32. */
  public SafetensorsWriter addArray(String name, NDArray array) {
    long[] shape = array.getShape().getShape();
    DataType type = array.getDataType();
    if (type.isInteger()) {
      return addI64(name, shape, array.toType(DataType.INT64, false).toLongArray());
    }
    if (type == DataType.BOOLEAN) {
      return addI64(name, shape, array.toType(DataType.INT64, false).toLongArray());
    }
    return addF32(name, shape, array.toType(DataType.FLOAT32, false).toFloatArray());
  }

  /** Adds a {@code __metadata__} entry. */
  public SafetensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  public int size() {
    return entries.size();
  }

  private SafetensorsWriter add(Entry entry, long length) {
    if (TensorInfo.numel(entry.shape()) != length) {
      throw new IllegalArgumentException(
          "tensor '"
              + entry.name()
              + "': "
              + length
              + " values do not fit shape "
              + TensorInfo.shapeText(entry.shape()));
    }
    if (entries.putIfAbsent(entry.name(), entry) != null) {
      throw new IllegalArgumentException("duplicate tensor name '" + entry.name() + "'");
    }
    return this;
  }

  /** Writes all collected tensors to {@code path} (parent directories are created). */
  public void write(Path path) throws IOException {
    if (path.getParent() != null) {
      Files.createDirectories(path.getParent());
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
      write(out);
    }
  }

  /** Writes all collected tensors to a stream. */
  public void write(OutputStream out) throws IOException {
    byte[] header = headerBytes();
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    out.write(length.putLong(header.length).array());
    out.write(header);
    for (Entry e : entries.values()) {
      out.write(encode(e));
    }
  }

  private byte[] headerBytes() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Entry e : entries.values()) {
      ObjectNode node = root.putObject(e.name());
      node.put("dtype", e.dtype().name());
      var shape = node.putArray("shape");
      for (long d : e.shape()) {
        shape.add(d);
      }
      long bytes = TensorInfo.numel(e.shape()) * e.dtype().byteSize();
      node.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    StringBuilder text = new StringBuilder(JSON.writeValueAsString(root));
    while (text.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
      text.append(' ');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] encode(Entry e) {
    int n = Math.toIntExact(TensorInfo.numel(e.shape()));
    ByteBuffer buf = ByteBuffer.allocate(n * e.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    switch (e.dtype()) {
      case F32 -> buf.asFloatBuffer().put((float[]) e.data());
      case BF16 -> {
        for (float v : (float[]) e.data()) {
          buf.putShort(Float16.floatToBf16(v));
        }
      }
      case I64 -> buf.asLongBuffer().put((long[]) e.data());
      default -> throw new IllegalStateException("unsupported dtype " + e.dtype());
    }
    return buf.array();
  }

  /** Names added so far, in order. */
  public List<String> names() {
    return new ArrayList<>(entries.keySet());
  }
}
