package io.cascadefarm.dispatcher.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks a safetensors upload (a job's {@code latents} or {@code embeddings}): a header of at most
 * {@value #MAX_HEADER} bytes describing at most {@value #MAX_TENSORS} F32, F16 or BF16 tensors
 * whose data ranges lie inside the file and match their shapes. Only the header is parsed; the
 * workers read the values (and check them finite) when they render.
 */
final class TensorUploads {
  static final int MAX_HEADER = 64 * 1024;
  static final int MAX_TENSORS = 64;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Integer> DTYPE_BYTES = Map.of("F32", 4, "F16", 2, "BF16", 2);

  private TensorUploads() {}

  /** Whether {@code body} starts like a safetensors file (u64 header length, then '{'). */
  static boolean looksLikeSafetensors(byte[] body) {
    if (body.length < 10) {
      return false;
    }
    long n = ByteBuffer.wrap(body, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return n >= 2 && n <= body.length - 8 && body[8] == '{';
  }

  /** The number of tensors; throws {@link IllegalArgumentException} naming the problem. */
  static int validate(byte[] file) {
    long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || n > MAX_HEADER || n > file.length - 8) {
      throw new IllegalArgumentException(
          "is a safetensors file with a header of " + n + " bytes (at most " + MAX_HEADER + ")");
    }
    JsonNode header;
    try {
      header = JSON.readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("has a safetensors header that is not valid JSON");
    }
    if (header == null || !header.isObject()) {
      throw new IllegalArgumentException("has a safetensors header that is not a JSON object");
    }
    long data = file.length - 8 - n;
    int tensors = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      if (++tensors > MAX_TENSORS) {
        throw new IllegalArgumentException("holds more than " + MAX_TENSORS + " tensors");
      }
      check(e.getKey(), e.getValue(), data);
    }
    if (tensors == 0) {
      throw new IllegalArgumentException("holds no tensor");
    }
    return tensors;
  }

  private static void check(String key, JsonNode t, long data) {
    Integer size = DTYPE_BYTES.get(t.path("dtype").asText(""));
    if (size == null) {
      throw new IllegalArgumentException(
          "tensor '" + key + "' has dtype " + t.path("dtype").asText("") + " (F32, F16 or BF16)");
    }
    JsonNode shape = t.path("shape");
    JsonNode offsets = t.path("data_offsets");
    if (!shape.isArray() || shape.size() > 8 || !offsets.isArray() || offsets.size() != 2) {
      throw new IllegalArgumentException("tensor '" + key + "' lacks shape or data_offsets");
    }
    long numel = 1;
    for (JsonNode d : shape) {
      if (!d.canConvertToLong() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("tensor '" + key + "' has a bad shape " + shape);
      }
      numel = Math.multiplyExact(numel, d.asLong());
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    if (begin < 0 || end < begin || end > data || end - begin != numel * size) {
      throw new IllegalArgumentException(
          "tensor '"
              + key
              + "' has data_offsets "
              + offsets
              + " outside or not matching its shape");
    }
  }
}
