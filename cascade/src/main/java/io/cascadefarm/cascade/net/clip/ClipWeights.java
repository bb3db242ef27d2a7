package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CLIP checkpoint as a {@link WeightSource} without the optional {@code
 * *.embeddings.position_ids} buffers (int64 {@code arange}; written by transformers before it made
 * them non-persistent, absent from newer files). Everything else is passed through unchanged, so
 * the strict binder still reports any other unexpected key.
 */
public final class ClipWeights implements WeightSource {
  private final WeightSource delegate;

  public ClipWeights(WeightSource delegate) {
    this.delegate = delegate;
  }

  /** Opens a transformers CLIP safetensors file (F32, F16 or BF16). */
  public static ClipWeights open(Path safetensors) throws IOException {
    return new ClipWeights(SafetensorsWeights.open(safetensors));
  }

  /** True for keys that may be present and are ignored. */
  public static boolean isOptional(String key) {
    return key.endsWith("embeddings.position_ids");
  }

  @Override
  public Map<String, long[]> shapes() {
    Map<String, long[]> out = new LinkedHashMap<>();
    delegate
        .shapes()
        .forEach(
            (k, s) -> {
              if (!isOptional(k)) {
                out.put(k, s);
              }
            });
    return out;
  }

  @Override
  public NDArray load(String key, NDManager manager) {
    return delegate.load(key, manager);
  }

  @Override
  public void close() throws Exception {
    delegate.close();
  }
}
