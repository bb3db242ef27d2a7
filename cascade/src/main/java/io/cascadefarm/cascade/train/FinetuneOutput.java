package io.cascadefarm.cascade.train;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a fine-tuned Stage C or Stage B as one safetensors file with exactly the keys and shapes
 * of the official {@code stage_c*.safetensors} / {@code stage_b*.safetensors} checkpoints (the
 * network's own names, which the loaders bind strictly), in float32, plus {@code extra} metadata.
 */
public final class FinetuneOutput {
  private FinetuneOutput() {}

  /** Writes {@code trainer}'s {@link FinetuneTrainer#outputWeights()} to {@code path}. */
  public static void write(FinetuneTrainer trainer, Map<String, String> extra, Path path)
      throws IOException {
    SafetensorsWriter w = new SafetensorsWriter();
    for (Map.Entry<String, NDArray> e : trainer.outputWeights().entrySet()) {
      NDArray d = e.getValue().stopGradient();
      w.addF32(e.getKey(), d.getShape().getShape(), d.toFloatArray());
      if (d != e.getValue()) {
        d.close();
      }
    }
    extra.forEach(w::metadata);
    w.write(path);
  }
}
