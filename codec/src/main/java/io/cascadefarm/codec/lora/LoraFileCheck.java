package io.cascadefarm.codec.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.codec.safetensors.SafetensorsLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Checks a LoRA safetensors file without loading a tensor, with the rules the workers read it by:
 * the header ({@link SafetensorsLayout}: dtypes the reader supports, no overflowing shapes, exact
 * byte ranges), the key layout (official {@code weights.<k>.lora_down|lora_up} and {@code
 * embeddings.embeddings|indices}, or diffusers/PEFT {@code ...lora_A.weight}/{@code
 * ...lora_B.weight}, {@code .lora_down.weight}/{@code .lora_up.weight}, {@code .alpha}), and its
 * {@code train_tokens} metadata ({@link TrainTokens}). Throws {@link IllegalArgumentException}
 * describing the first problem.
 */
public final class LoraFileCheck {
  /** Longest header of a LoRA file (16 MiB). */
  public static final int MAX_HEADER = 16 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern OFFICIAL =
      Pattern.compile("weights\\.\\d+\\.lora_(down|up)|embeddings\\.(embeddings|indices)");
  private static final Pattern PEFT =
      Pattern.compile("[A-Za-z0-9_.]+\\.(lora_[AB]\\.weight|lora_(down|up)\\.weight|alpha)");

  private LoraFileCheck() {}

  /** Number of tensors of a valid LoRA file. */
  public static int validate(byte[] file) {
    if (file.length < 8) {
      throw new IllegalArgumentException("is not a safetensors file (shorter than 8 bytes)");
    }
    long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || n > MAX_HEADER || n > file.length - 8) {
      throw new IllegalArgumentException(
          "is not a safetensors file (header length " + n + " for " + file.length + " bytes)");
    }
    JsonNode root;
    try {
      root = JSON.readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("has a safetensors header that is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("has a safetensors header that is not a JSON object");
    }
    SafetensorsLayout.Header header = SafetensorsLayout.parse(root, file.length - 8 - n);
    int loraWeights = 0;
    for (String key : header.tensors().keySet()) {
      if (!OFFICIAL.matcher(key).matches() && !PEFT.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "tensor '"
                + key
                + "' is not a LoRA key (official weights.<k>.lora_down/lora_up, embeddings.*;"
                + " or PEFT ...lora_A.weight/lora_B.weight)");
      }
      loraWeights += key.contains("lora_") ? 1 : 0;
    }
    if (loraWeights == 0) {
      throw new IllegalArgumentException("holds no lora_down/lora_up (or lora_A/lora_B) tensors");
    }
    String tokens = header.metadata().get("train_tokens");
    if (tokens != null) {
      TrainTokens.parse(tokens);
    }
    return header.tensors().size();
  }
}
