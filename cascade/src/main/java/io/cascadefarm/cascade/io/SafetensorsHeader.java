package io.cascadefarm.cascade.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parsed safetensors header: tensor table (file order), metadata and data-section offset. */
public record SafetensorsHeader(
    Map<String, TensorInfo> tensors, Map<String, String> metadata, long dataStart) {

  private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads and validates the header of an open file of the given size. */
  static SafetensorsHeader read(FileChannel channel, long fileSize, String source)
      throws IOException {
    if (fileSize < 8) {
      throw new SafetensorsFormatException(
          source + ": truncated (" + fileSize + " bytes, need at least the 8-byte header length)");
    }
    ByteBuffer lengthBuffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lengthBuffer, 0, source);
    long headerLength = lengthBuffer.flip().getLong();
    if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
      throw new SafetensorsFormatException(
          source
              + ": invalid header length "
              + headerLength
              + " for a file of "
              + fileSize
              + " bytes");
    }
    ByteBuffer headerBuffer = ByteBuffer.allocate((int) headerLength);
    readFully(channel, headerBuffer, 8, source);
    String text = new String(headerBuffer.array(), StandardCharsets.UTF_8);
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (IOException e) {
      throw new SafetensorsFormatException(source + ": header is not valid JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new SafetensorsFormatException(source + ": header is not a JSON object");
    }
    long dataStart = 8 + headerLength;
    return parse(root, fileSize - dataStart, dataStart, source);
  }

  private static SafetensorsHeader parse(JsonNode root, long dataSize, long dataStart, String src) {
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if ("__metadata__".equals(field.getKey())) {
        field
            .getValue()
            .fields()
            .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      TensorInfo info = parseEntry(field.getKey(), field.getValue(), src);
      if (info.end() > dataSize) {
        throw new SafetensorsFormatException(
            src
                + ": tensor '"
                + info.name()
                + "' ends at byte "
                + info.end()
                + " but the data section has only "
                + dataSize
                + " bytes (file truncated?)");
      }
      tensors.put(info.name(), info);
    }
    return new SafetensorsHeader(
        Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata), dataStart);
  }

  private static TensorInfo parseEntry(String name, JsonNode entry, String src) {
    JsonNode dtype = entry.get("dtype");
    JsonNode shape = entry.get("shape");
    JsonNode offsets = entry.get("data_offsets");
    if (dtype == null
        || shape == null
        || !shape.isArray()
        || offsets == null
        || !offsets.isArray()
        || offsets.size() != 2) {
      throw new SafetensorsFormatException(
          src + ": tensor '" + name + "' needs dtype, shape[] and data_offsets[2]");
    }
    SafetensorsDType type = SafetensorsDType.parse(dtype.asText(), name);
    long[] dims = new long[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.get(i).asLong(-1);
      if (dims[i] < 0) {
        throw new SafetensorsFormatException(
            src + ": tensor '" + name + "' has a bad shape " + shape);
      }
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    long expected = TensorInfo.numel(dims) * type.byteSize();
    if (begin < 0 || end < begin || end - begin != expected) {
      throw new SafetensorsFormatException(
          src
              + ": tensor '"
              + name
              + "' data_offsets "
              + offsets
              + " do not hold "
              + expected
              + " bytes of "
              + type
              + TensorInfo.shapeText(dims));
    }
    return new TensorInfo(name, type, dims, begin, end);
  }

  static void readFully(FileChannel channel, ByteBuffer buffer, long position, String source)
      throws IOException {
    long pos = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, pos);
      if (n < 0) {
        throw new SafetensorsFormatException(source + ": unexpected end of file at byte " + pos);
      }
      pos += n;
    }
  }
}
