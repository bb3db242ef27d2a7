package io.cascadefarm.worker.render;

import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.LoraRef;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.worker.lora.LoraCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a job's inputs (the {@code image}, {@code mask}, {@code extra_images}, {@code latents} and
 * {@code embeddings} upload keys) from the object store, and makes its LoRAs available as local
 * files (input entries {@code lora:<name>} hold the UTF-8 path). A key that does not exist is
 * invalid input (not retryable); a store that stays down for the retry budget is a retryable {@link
 * StorageException}.
 */
public final class InputLoader {
  private final ObjectStore objects;
  private final Retrier retrier;

  private final LoraCache loras;

  public InputLoader(ObjectStore objects, Retrier retrier) {
    this(objects, retrier, null);
  }

  /** With {@code loras} (may be null), each job's LoRAs are cached locally before rendering. */
  public InputLoader(ObjectStore objects, Retrier retrier, LoraCache loras) {
    this.objects = objects;
    this.retrier = retrier;
    this.loras = loras;
  }

  public Map<String, byte[]> load(JobParams params) {
    Map<String, byte[]> out = new HashMap<>();
    read("image", params.image(), out);
    read("mask", params.mask(), out);
    for (int i = 0; i < params.extraImages().size(); i++) {
      read("extra_images[" + i + "]", params.extraImages().get(i), out);
    }
    read("latents", params.latents(), out);
    read("embeddings", params.embeddings(), out);
    if (loras != null) {
      for (LoraRef l : params.loras()) {
        Path file = loras.resolve(l.name(), l.sha256(), key -> fetch("loras", key));
        out.put(
            LoraCache.INPUT_PREFIX + l.name(), file.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    if (params.kind() != null && params.kind().needsImage() && params.image() == null) {
      throw new RenderException(
          "invalid_input", "field image: kind " + params.kind().wire() + " needs one", false, null);
    }
    return out;
  }

  /**
   * Reads {@code key} with storage retries: a key the store rejects is invalid input naming {@code
   * field}; a store still down after the retry budget is a {@link StorageException}.
   */
  private Optional<byte[]> fetch(String field, String key) {
    try {
      return retrier.call("read " + key, () -> objects.get(key));
    } catch (IllegalArgumentException e) {
      throw new RenderException(
          "invalid_input", "field " + field + ": " + e.getMessage(), false, e);
    } catch (RuntimeException e) {
      throw new StorageException("cannot read " + key + ": " + e, e);
    }
  }

  private void read(String field, String key, Map<String, byte[]> out) {
    if (key == null) {
      return;
    }
    out.put(
        key,
        fetch(field, key)
            .orElseThrow(
                () ->
                    new RenderException(
                        "invalid_input",
                        "field " + field + ": object '" + key + "' does not exist",
                        false,
                        null)));
  }
}
