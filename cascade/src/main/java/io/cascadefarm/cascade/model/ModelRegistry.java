package io.cascadefarm.cascade.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads each model variant at most once per process and keeps it resident. Thread-safe: concurrent
 * callers asking for the same variant wait for a single load; different variants load in parallel.
 * Entries are keyed by variant and {@link Precision}, so a process may hold e.g. tiny in fp32 and
 * in fp16 at once. Closing the registry frees every loaded variant.
 *
 * <p>Besides {@link #VARIANTS}, a registry given {@link #useVariants} loads fine-tuned models
 * ({@code <tenant>/<name>}) on top of their base variant, which it loads (once) first. A fine-tuned
 * model's name is never reused for other weights (the farm registers each name once), so a resident
 * one stays valid.
 */
public final class ModelRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  /** Accepted variant names. */
  public static final Set<String> VARIANTS = Set.of("tiny", "lite", "big");

  private final ModelLoader loader;
  private volatile ai.djl.Device device;
  private final Map<String, CompletableFuture<CascadeModels>> loaded = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile FineTunedVariants variants;

  /** A registry on the engine's default device. */
  public ModelRegistry(ModelLoader loader) {
    this(loader, null);
  }

  /**
   * A registry whose models all live on {@code device} (null: the engine's default device, looked
   * up when first needed).
   */
  public ModelRegistry(ModelLoader loader, ai.djl.Device device) {
    this.loader = loader;
    this.device = device;
  }

  /**
   * A registry on {@code device} reading checkpoints under {@code modelDir}, tiny weights cached in
   * {@code cacheDir}.
   */
  public static ModelRegistry open(Path modelDir, Path cacheDir, ai.djl.Device device) {
    return new ModelRegistry(new DefaultModelLoader(new ModelLayout(modelDir), cacheDir), device);
  }

  /** The device every model of this registry lives on. */
  public ai.djl.Device device() {
    ai.djl.Device d = device;
    if (d == null) {
      d = Devices.defaultDevice();
      device = d;
    }
    return d;
  }

  /**
   * A registry reading checkpoints under {@code modelDir}, tiny weights cached in {@code cacheDir}.
   */
  public static ModelRegistry open(Path modelDir, Path cacheDir) {
    return new ModelRegistry(new DefaultModelLoader(new ModelLayout(modelDir), cacheDir));
  }

  /** Where fine-tuned models are found from now on (null: none). */
  public ModelRegistry useVariants(FineTunedVariants source) {
    this.variants = source;
    return this;
  }

  /**
   * The base variant of {@code model}: the name itself for one of {@link #VARIANTS}, the variant a
   * fine-tuned model ({@code <tenant>/<name>}) was trained from, or empty when it is neither.
   */
  public Optional<String> baseOf(String model) {
    if (VARIANTS.contains(model)) {
      return Optional.of(model);
    }
    FineTunedVariants source = variants;
    return source != null && model.contains("/") ? source.baseOf(model) : Optional.empty();
  }

  /** The variant in fp32, loading it on first use. */
  public CascadeModels get(String variant) {
    return get(variant, Precision.FP32);
  }

  /**
   * The variant at {@code precision}, loading it on first use; fp16 for {@code big} is refused
   * ({@link Precision#BIG_FP16_REFUSED}).
   */
  public CascadeModels get(String variant, Precision precision) {
    FineTunedVariants source = variants;
    boolean derived = !VARIANTS.contains(variant) && source != null && variant.contains("/");
    if (!VARIANTS.contains(variant) && !derived) {
      throw new IllegalArgumentException("model must be one of " + VARIANTS + ", got " + variant);
    }
    if (!derived) {
      precision.check(variant);
    }
    if (closed) {
      throw new IllegalStateException("model registry is closed");
    }
    String key = key(variant, precision);
    CompletableFuture<CascadeModels> mine = new CompletableFuture<>();
    CompletableFuture<CascadeModels> existing = loaded.putIfAbsent(key, mine);
    if (existing == null) {
      try {
        mine.complete(derived ? derive(variant, precision, source) : load(variant, precision));
      } catch (RuntimeException | Error e) {
        loaded.remove(key, mine);
        mine.completeExceptionally(e);
        throw e;
      }
      return mine.join();
    }
    try {
      return existing.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for model " + variant, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("loading model " + variant + " failed", e.getCause());
    }
  }

  private static String key(String variant, Precision precision) {
    return precision == Precision.FP32 ? variant : variant + "/" + precision.label();
  }

  private CascadeModels derive(String name, Precision precision, FineTunedVariants source) {
    FineTunedVariant v =
        source
            .locate(name)
            .orElseThrow(() -> new IllegalArgumentException("unknown model " + name));
    precision.check(v.base());
    CascadeModels base = get(v.base(), precision);
    long start = System.nanoTime();
    CascadeModels models = CascadeModelFactory.derive(base, v, precision, device());
    LOG.info(
        "loaded model {} {} on {} ({}) in {} ms",
        name,
        precision.label(),
        device(),
        models.description(),
        (System.nanoTime() - start) / 1_000_000);
    return models;
  }

  private CascadeModels load(String variant, Precision precision) {
    long start = System.nanoTime();
    CascadeModels models = loader.load(variant, precision, device());
    LOG.info(
        "loaded model {} {} on {} ({}) in {} ms",
        variant,
        precision.label(),
        device(),
        models.description(),
        (System.nanoTime() - start) / 1_000_000);
    return models;
  }

  /** Whether the variant is already resident in fp32. */
  public boolean isLoaded(String variant) {
    return isLoaded(variant, Precision.FP32);
  }

  /** Whether the variant is already resident at {@code precision}. */
  public boolean isLoaded(String variant, Precision precision) {
    CompletableFuture<CascadeModels> f = loaded.get(key(variant, precision));
    return f != null && f.isDone() && !f.isCompletedExceptionally();
  }

  /** Load time of a resident variant in milliseconds, or -1 if it is not loaded. */
  public long loadMillis(String variant) {
    return isLoaded(variant) ? loaded.get(variant).join().loadMillis() : -1;
  }

  @Override
  public void close() {
    closed = true;
    // fine-tuned models first: they share networks of their (still open) base
    for (boolean derivedPass : new boolean[] {true, false}) {
      for (CompletableFuture<CascadeModels> f : loaded.values()) {
        if (f.isDone() && !f.isCompletedExceptionally()) {
          CascadeModels m = f.join();
          if ((m.base() != null) == derivedPass) {
            m.close();
          }
        }
      }
    }
    loaded.clear();
  }
}
