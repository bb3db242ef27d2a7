package io.cascadefarm.worker.lora;

import io.cascadefarm.common.port.RenderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

/**
 * Local copies of LoRAs uploaded with {@code POST /v1/loras}: the object store holds {@code
 * loras/<name>.safetensors} and its SHA-256 in {@code loras/<name>.sha256} (keys as the
 * dispatcher's {@code LoraUploads}). A LoRA is cached as {@code <dir>/<name>-<sha256>.safetensors},
 * so a re-upload under the same name is fetched again while an unchanged one is read from S3 once
 * per worker machine. Downloads are checked against the hash and moved into place atomically.
 */
public final class LoraCache {
  /** Prefix of the render-task input entries that carry a LoRA's local path. */
  public static final String INPUT_PREFIX = "lora:";

  private final Path dir;

  public LoraCache(Path dir) {
    this.dir = dir;
  }

  /**
   * The local file of LoRA {@code name}, downloading it if needed.
   *
   * @param read reads an object-store key (empty when the key does not exist)
   * @throws RenderException invalid_input (not retryable) naming the LoRA when it was never
   *     uploaded or its bytes do not match the stored hash
   */
  public Path resolve(String name, Function<String, Optional<byte[]>> read) {
    String sha =
        read.apply("loras/" + name + ".sha256")
            .map(b -> new String(b, StandardCharsets.US_ASCII).trim())
            .orElseThrow(
                () ->
                    invalid(
                        "loras: unknown LoRA '"
                            + name
                            + "' (upload it with POST /v1/loras?name="
                            + name
                            + ")"));
    Path file = dir.resolve(name + "-" + sha + ".safetensors");
    if (Files.isRegularFile(file)) {
      return file;
    }
    byte[] bytes =
        read.apply("loras/" + name + ".safetensors")
            .orElseThrow(() -> invalid("loras: LoRA '" + name + "' file is missing in S3"));
    if (!sha256(bytes).equals(sha)) {
      throw invalid("loras: LoRA '" + name + "' does not match its SHA-256 (re-upload it)");
    }
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, name, ".part");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cache LoRA " + name + " under " + dir, e);
    }
    return file;
  }

  private static RenderException invalid(String message) {
    return new RenderException("invalid_input", message, false, null);
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
