package io.cascadefarm.worker.lora;

import io.cascadefarm.codec.lora.LoraFileCheck;
import io.cascadefarm.common.digest.Sha256;
import io.cascadefarm.common.port.RenderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    return resolve(name, null, read);
  }

  /**
   * The local file of LoRA {@code name} pinned to {@code pinnedSha} (the SHA-256 the dispatcher
   * recorded in the job row when it accepted the job; null for jobs accepted before pinning, which
   * use the name's current {@code .sha256}). A pinned LoRA is read by its content key ({@code
   * loras/sha256/<sha>.safetensors}, falling back to the name's file) and must hash to the pinned
   * value: someone who can write to the bucket cannot swap the weights behind a queued job. The
   * file must also pass the reader rules ({@link LoraFileCheck}) before it is cached.
   */
  public Path resolve(String name, String pinnedSha, Function<String, Optional<byte[]>> read) {
    String sha =
        pinnedSha != null
            ? pinnedSha
            : read.apply("loras/" + name + ".sha256")
                .map(b -> new String(b, StandardCharsets.US_ASCII).trim())
                .orElseThrow(
                    () ->
                        invalid(
                            "loras: unknown LoRA '"
                                + name
                                + "' (upload it with POST /v1/loras?name="
                                + name
                                + ")"));
    if (!sha.matches("[0-9a-f]{64}")) {
      throw invalid("loras: LoRA '" + name + "' has a malformed SHA-256");
    }
    Path file = dir.resolve(name + "-" + sha + ".safetensors");
    if (Files.isRegularFile(file)) {
      return file;
    }
    Optional<byte[]> content =
        pinnedSha != null ? read.apply("loras/sha256/" + sha + ".safetensors") : Optional.empty();
    byte[] bytes =
        content
            .or(() -> read.apply("loras/" + name + ".safetensors"))
            .orElseThrow(() -> invalid("loras: LoRA '" + name + "' file is missing in S3"));
    if (!Sha256.hex(bytes).equals(sha)) {
      throw invalid(
          pinnedSha != null
              ? "loras: LoRA '"
                  + name
                  + "' is not the file the job was accepted with (SHA-256 differs); it was"
                  + " replaced or tampered with in the object store"
              : "loras: LoRA '" + name + "' does not match its SHA-256 (re-upload it)");
    }
    try {
      LoraFileCheck.validate(bytes);
    } catch (IllegalArgumentException e) {
      throw invalid("loras: LoRA '" + name + "' " + e.getMessage());
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
}
