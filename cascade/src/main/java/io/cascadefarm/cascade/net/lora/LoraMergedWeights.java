package io.cascadefarm.cascade.net.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.nn.WeightSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base weights with LoRA updates merged in: {@code W' = W + sum_i strength_i * (up_i @ down_i) *
 * alpha_i / r_i} for every targeted weight (broadcast over the kernel of a conv weight); all other
 * keys pass through. Bind a fresh model from it to get a merged copy (the base itself is never
 * modified). With a {@link BoundWeights} base the untouched tensors are shared, only targeted
 * weights are new arrays.
 */
public final class LoraMergedWeights implements WeightSource {
  /** One LoRA file's resolved targets and its strength. */
  public record Applied(List<LoraTarget> targets, float strength) {}

  private final WeightSource base;
  private final Map<String, List<Applied>> byKey = new LinkedHashMap<>();

  public LoraMergedWeights(WeightSource base, List<Applied> loras) {
    this.base = base;
    for (Applied a : loras) {
      for (LoraTarget t : a.targets()) {
        byKey
            .computeIfAbsent(t.key(), k -> new ArrayList<>())
            .add(new Applied(List.of(t), a.strength()));
      }
    }
  }

  /** Keys whose values differ from the base. */
  public List<String> mergedKeys() {
    return List.copyOf(byKey.keySet());
  }

  @Override
  public Map<String, long[]> shapes() {
    return base.shapes();
  }

  @Override
  public NDArray load(String key, NDManager manager) {
    List<Applied> updates = byKey.get(key);
    NDArray w = base.load(key, manager);
    if (updates == null) {
      return w;
    }
    Shape shape = w.getShape();
    // merged in float32 whatever the base computes in (fp16 arrays are widened; weights held in
    // bf16 by TorchScript kernels come back as float32 copies); the caller casts afterwards
    float[] data;
    if (w.getDataType() == DataType.FLOAT32) {
      data = w.toFloatArray();
    } else {
      try (NDArray wide = w.toType(DataType.FLOAT32, true)) {
        data = wide.toFloatArray();
      }
    }
    if (!(base instanceof BoundWeights b) || b.isCopy(key)) {
      w.close();
    }
    long cols = shape.get(1);
    // conv weights (out, in, kh, kw): the (out, in) delta is broadcast over the kernel, as the
    // official LoRA.forward adds (up @ down).view(out, in, 1, 1)
    int kernel = Math.toIntExact(shape.size() / (shape.get(0) * cols));
    for (Applied a : updates) {
      LoraTarget t = a.targets().get(0);
      float[] delta = t.pair().delta(a.strength());
      int offset = Math.toIntExact(t.rowOffset() * cols * kernel);
      for (int i = 0; i < delta.length; i++) {
        int base = offset + i * kernel;
        for (int k = 0; k < kernel; k++) {
          data[base + k] += delta[i];
        }
      }
    }
    NDArray merged = manager.create(data, shape);
    merged.setName(key);
    return merged;
  }

  /** Untouched keys share the base's value (array or kernel slot). */
  @Override
  public boolean bindShared(String key, io.cascadefarm.cascade.nn.Parameter target) {
    return !byKey.containsKey(key) && base.bindShared(key, target);
  }

  @Override
  public void close() throws Exception {
    base.close();
  }
}
