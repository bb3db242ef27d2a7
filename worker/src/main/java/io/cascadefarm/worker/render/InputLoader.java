package io.cascadefarm.worker.render;

import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.common.port.RenderException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a job's input images (the {@code image} and {@code mask} upload keys) from the object
 * store. A key that does not exist is invalid input (not retryable); a store that stays down for
 * the retry budget is a retryable {@link StorageException}.
 */
public final class InputLoader {
  private final ObjectStore objects;
  private final Retrier retrier;

  public InputLoader(ObjectStore objects, Retrier retrier) {
    this.objects = objects;
    this.retrier = retrier;
  }

  public Map<String, byte[]> load(JobParams params) {
    Map<String, byte[]> out = new HashMap<>();
    read("image", params.image(), out);
    read("mask", params.mask(), out);
    if (params.kind() != null && params.kind().needsImage() && params.image() == null) {
      throw new RenderException(
          "invalid_input", "field image: kind " + params.kind().wire() + " needs one", false, null);
    }
    return out;
  }

  private void read(String field, String key, Map<String, byte[]> out) {
    if (key == null) {
      return;
    }
    Optional<byte[]> bytes;
    try {
      bytes = retrier.call("read " + key, () -> objects.get(key));
    } catch (IllegalArgumentException e) {
      throw new RenderException(
          "invalid_input", "field " + field + ": " + e.getMessage(), false, e);
    } catch (RuntimeException e) {
      throw new StorageException("cannot read input " + key + ": " + e, e);
    }
    out.put(
        key,
        bytes.orElseThrow(
            () ->
                new RenderException(
                    "invalid_input",
                    "field " + field + ": object '" + key + "' does not exist",
                    false,
                    null)));
  }
}
