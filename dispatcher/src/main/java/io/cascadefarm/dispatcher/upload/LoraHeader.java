package io.cascadefarm.dispatcher.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates an uploaded LoRA's safetensors header without loading any tensor: the 8-byte header
 * length, the JSON header, each tensor's dtype, shape and byte range (inside the file, matching
 * dtype x shape), and the key layout: official ({@code weights.<k>.lora_down|lora_up}, {@code
 * embeddings.embeddings|indices}) or diffusers/PEFT ({@code ...lora_A.weight}/{@code
 * ...lora_B.weight}, {@code .lora_down.weight}/{@code .lora_up.weight}, {@code .alpha}).
 */
final class LoraHeader {
  static final int MAX_HEADER = 16 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Integer> DTYPE_BYTES =
      Map.of("F32", 4, "F16", 2, "BF16", 2, "F64", 8, "I64", 8, "I32", 4, "U8", 1, "I8", 1);
  private static final Pattern OFFICIAL =
      Pattern.compile("weights\\.\\d+\\.lora_(down|up)|embeddings\\.(embeddings|indices)");
  private static final Pattern PEFT =
      Pattern.compile("[A-Za-z0-9_.]+\\.(lora_[AB]\\.weight|lora_(down|up)\\.weight|alpha)");

  private LoraHeader() {}

  /** Number of LoRA tensors; throws {@link IllegalArgumentException} describing the problem. */
  static int validate(byte[] file) {
    if (file.length < 8) {
      throw new IllegalArgumentException("is not a safetensors file (shorter than 8 bytes)");
    }
    long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || n > MAX_HEADER || n > file.length - 8) {
      throw new IllegalArgumentException(
          "is not a safetensors file (header length " + n + " for " + file.length + " bytes)");
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
    int loraWeights = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      checkTensor(e.getKey(), e.getValue(), data);
      String key = e.getKey();
      if (!OFFICIAL.matcher(key).matches() && !PEFT.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "tensor '"
                + key
                + "' is not a LoRA key (official weights.<k>.lora_down/lora_up, embeddings.*;"
                + " or PEFT ...lora_A.weight/lora_B.weight)");
      }
      loraWeights += key.contains("lora_") ? 1 : 0;
      tensors++;
    }
    if (loraWeights == 0) {
      throw new IllegalArgumentException("holds no lora_down/lora_up (or lora_A/lora_B) tensors");
    }
    return tensors;
  }

  private static void checkTensor(String key, JsonNode t, long data) {
    String dtype = t.path("dtype").asText("");
    Integer size = DTYPE_BYTES.get(dtype);
    if (size == null) {
      throw new IllegalArgumentException("tensor '" + key + "' has unsupported dtype " + dtype);
    }
    JsonNode shape = t.path("shape");
    JsonNode offsets = t.path("data_offsets");
    if (!shape.isArray() || !offsets.isArray() || offsets.size() != 2) {
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
