package io.cascadefarm.cascade.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.codec.safetensors.SafetensorsLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parsed safetensors header: tensor table (file order), metadata and data-section offset. */
public record SafetensorsHeader(
    Map<String, TensorInfo> tensors, Map<String, String> metadata, long dataStart) {

  private static final long MAX_HEADER_BYTES = SafetensorsLayout.MAX_HEADER_BYTES;
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
    SafetensorsLayout.Header checked;
    try {
      checked = SafetensorsLayout.parse(root, dataSize);
    } catch (IllegalArgumentException e) {
      throw new SafetensorsFormatException(src + ": " + e.getMessage());
    }
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    for (SafetensorsLayout.Entry e : checked.tensors().values()) {
      SafetensorsDType type = SafetensorsDType.parse(e.dtype().name(), e.name());
      tensors.put(e.name(), new TensorInfo(e.name(), type, e.shape(), e.begin(), e.end()));
    }
    return new SafetensorsHeader(
        Collections.unmodifiableMap(tensors), checked.metadata(), dataStart);
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
