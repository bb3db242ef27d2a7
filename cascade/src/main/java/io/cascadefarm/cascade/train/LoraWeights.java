package io.cascadefarm.cascade.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.net.lora.LoraTargets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trained low-rank pairs of {@code modules/lora.py}: for every weight {@code apply_lora(model,
 * filters, rank)} parametrizes (in its module order), {@code lora_down} (rank, in) initialised to
 * zeros and {@code lora_up} (out, rank) to N(0, 1); the effective weight is {@code W + (up @
 * down).view(out, in, 1...) * alpha / rank} with alpha 1.
 */
public final class LoraWeights {
  /** One parametrized weight. */
  public record Pair(String key, long[] shape, Trainable down, Trainable up) {}

  private final List<Pair> pairs;
  private final int rank;

  private LoraWeights(List<Pair> pairs, int rank) {
    this.pairs = List.copyOf(pairs);
    this.rank = rank;
  }

  /**
   * Selects the targets of {@code filters} among {@code shapes} (a model's keys in {@code
   * state_dict} order) and initialises their pairs in {@code manager}; {@code upInit} gives the
   * N(0, 1) values of each {@code lora_up} (index, size) — seeded draws in the farm, recorded ones
   * in parity tests.
   */
  public static LoraWeights create(
      Map<String, long[]> shapes,
      List<String> filters,
      int rank,
      java.util.function.BiFunction<Integer, Integer, float[]> upInit,
      NDManager manager) {
    if (rank < 1) {
      throw new IllegalArgumentException("rank must be >= 1, got " + rank);
    }
    List<String> keys = LoraTargets.officialKeys(shapes, filters);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("module_filters " + filters + " select no weight");
    }
    List<Pair> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      long[] shape = shapes.get(key);
      if (shape.length < 2) {
        throw new IllegalArgumentException(
            "module_filters " + filters + " select '" + key + "', which is not a matrix");
      }
      long in = shape[1];
      long outRows = shape[0];
      NDArray down = manager.zeros(new Shape(rank, in));
      float[] up = upInit.apply(i, Math.toIntExact(outRows * rank));
      NDArray upArr = manager.create(up, new Shape(outRows, rank));
      out.add(
          new Pair(
              key,
              shape,
              new Trainable("weights." + i + ".lora_down", down),
              new Trainable("weights." + i + ".lora_up", upArr)));
    }
    return new LoraWeights(out, rank);
  }

  public List<Pair> pairs() {
    return pairs;
  }

  public int rank() {
    return rank;
  }

  /** Parameters in {@code lora.parameters()} order: down then up of each pair. */
  public List<Trainable> parameters() {
    List<Trainable> out = new ArrayList<>();
    for (Pair p : pairs) {
      out.add(p.down());
      out.add(p.up());
    }
    return out;
  }

  /**
   * {@code W + (up @ down).view(W.shape[:2] + [1]*(W.dim-2)) / rank}, in {@code base}'s manager.
   */
  public NDArray merged(Pair p, NDArray base) {
    long[] view = new long[p.shape().length];
    java.util.Arrays.fill(view, 1);
    view[0] = p.shape()[0];
    view[1] = p.shape()[1];
    NDArray delta = p.up().value().matMul(p.down().value()).reshape(new Shape(view));
    NDArray scaled = io.cascadefarm.cascade.nn.Autograd.mul(delta, 1f / rank);
    NDArray w = base.add(scaled);
    delta.close();
    scaled.close();
    return w;
  }
}
