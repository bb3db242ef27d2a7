package io.cascadefarm.cascade.net.lora;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * LoRA-merged copies of a bound base network (Stage C), cached by the list of (file, strength),
 * plus the matching text-encoder variants (cached by the list of files). A merged copy shares every
 * untouched tensor with the base and owns only its merged weights (for the 3.6B Stage C with {@code
 * .attn} filters: the 128 attention matrices). The base is never modified.
 *
 * <p>Least-recently-used copies beyond {@code capacity} are closed: callers must not use a model
 * obtained earlier once {@code capacity} other combinations were requested after it (a worker
 * rendering one batch at a time with capacity >= 1 is safe). Thread-safe.
 *
 * @param <M> network type (e.g. StageC)
 */
public final class LoraVariants<M extends Module> implements AutoCloseable {
  private record Variant<M>(M model, NDManager manager) {}

  private final M base;
  private final Supplier<M> factory;
  private final List<String> filters;
  private final NDManager parent;
  private final BiConsumer<M, NDManager> finish;
  private final Map<Path, LoraFile> files = new HashMap<>();
  private final Map<List<Path>, ClipTextEncoder> texts = new HashMap<>();
  private final LinkedHashMap<List<LoraApplication>, Variant<M>> merged;

  /**
   * @param base the bound base network (stays owned by the caller)
   * @param factory creates an unbound network of the same architecture
   * @param filters module filters ({@link LoraTargets#OFFICIAL_FILTERS})
   * @param capacity merged copies kept
   * @param parent manager under which merged copies are allocated
   */
  public LoraVariants(
      M base, Supplier<M> factory, List<String> filters, int capacity, NDManager parent) {
    this(base, factory, filters, capacity, parent, (m, mgr) -> {});
  }

  /**
   * As above; {@code finish} is called on each merged copy right after binding, with the copy's
   * manager (e.g. to cast the float32 merge to the base's precision).
   */
  public LoraVariants(
      M base,
      Supplier<M> factory,
      List<String> filters,
      int capacity,
      NDManager parent,
      BiConsumer<M, NDManager> finish) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.base = base;
    this.factory = factory;
    this.filters = List.copyOf(filters);
    this.parent = parent;
    this.finish = finish;
    this.merged =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<List<LoraApplication>, Variant<M>> e) {
            if (size() > capacity) {
              e.getValue().manager().close();
              return true;
            }
            return false;
          }
        };
  }

  /** The base network when {@code loras} is empty, else the cached or newly merged copy. */
  public synchronized M network(List<LoraApplication> loras) {
    if (loras.isEmpty()) {
      return base;
    }
    List<LoraApplication> key = List.copyOf(loras);
    Variant<M> v = merged.get(key);
    if (v == null) {
      v = merge(key);
      merged.put(key, v);
    }
    return v.model();
  }

  /** The text encoder with the LoRAs' tokens (the base encoder if none defines tokens). */
  public synchronized ClipTextEncoder textEncoder(
      ClipTextEncoder baseEncoder, List<LoraApplication> loras) {
    List<Path> key = loras.stream().map(LoraApplication::file).toList();
    ClipTextEncoder cached = texts.get(key);
    if (cached == null) {
      List<LoraTokens.Spec> specs = new ArrayList<>();
      for (LoraApplication a : loras) {
        LoraFile f = file(a.file());
        specs.add(new LoraTokens.Spec(trainTokens(a, f), f.tokens()));
      }
      cached = LoraTokens.apply(baseEncoder, specs);
      texts.put(key, cached);
    }
    return cached;
  }

  /** The bound base network (never modified; e.g. for trainers that share its weights). */
  public M base() {
    return base;
  }

  /** Number of merged copies currently held. */
  public synchronized int size() {
    return merged.size();
  }

  private Variant<M> merge(List<LoraApplication> loras) {
    List<LoraMergedWeights.Applied> applied = new ArrayList<>();
    BoundWeights bound = new BoundWeights(base);
    for (LoraApplication a : loras) {
      LoraFile f = file(a.file());
      List<LoraTarget> targets = LoraTargets.resolve(f, bound.shapes(), filtersOf(f));
      applied.add(new LoraMergedWeights.Applied(targets, a.strength()));
    }
    M model = factory.get();
    NDManager manager = parent.newSubManager();
    try {
      WeightBinder.bind(model, new LoraMergedWeights(bound, applied), manager);
      finish.accept(model, manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    return new Variant<>(model, manager);
  }

  private LoraFile file(Path path) {
    return files.computeIfAbsent(
        path,
        p -> {
          try {
            return LoraFile.read(p);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read LoRA " + p, e);
          }
        });
  }

  /**
   * The file's own {@code module_filters} (metadata written by the farm's LoRA trainer), else the
   * variant's.
   */
  private List<String> filtersOf(LoraFile f) {
    String meta = f.metadata().get("module_filters");
    if (meta == null) {
      return filters;
    }
    try {
      List<String> out = new ArrayList<>();
      for (com.fasterxml.jackson.databind.JsonNode n :
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(meta)) {
        out.add(n.asText());
      }
      return out.isEmpty() ? filters : out;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(f.path() + ": module_filters metadata is not JSON", e);
    }
  }

  private static List<TrainToken> trainTokens(LoraApplication a, LoraFile f) {
    if (a.trainTokens() != null) {
      return a.trainTokens();
    }
    String meta = f.metadata().get("train_tokens");
    return meta == null ? List.of() : TrainToken.parseList(meta);
  }

  @Override
  public synchronized void close() {
    merged.values().forEach(v -> v.manager().close());
    merged.clear();
    texts.clear();
  }
}
