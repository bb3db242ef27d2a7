package io.cascadefarm.worker.cascade;

import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.model.Precision;
import io.cascadefarm.cascade.model.TinyPreset;
import io.cascadefarm.cascade.pipeline.CascadePipeline;
import io.cascadefarm.cascade.pipeline.GeneratedImage;
import io.cascadefarm.cascade.pipeline.GenerationCancelledException;
import io.cascadefarm.cascade.pipeline.GenerationListener;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationResult;
import io.cascadefarm.cascade.tools.numerics.NumericsSelfCheck;
import io.cascadefarm.cascade.tools.numerics.SelfCheckReport;
import io.cascadefarm.codec.image.ImageCodec;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.port.NumericsCheck;
import io.cascadefarm.common.port.PreviewImage;
import io.cascadefarm.common.port.RenderCancelledException;
import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

/**
 * Renders farm jobs with the cascade {@link CascadePipeline}: one {@code generate} call per group
 * of compatible tasks. Live previews come back as PNGs ({@link ImageCodec#encodePng}), per task.
 * The pipeline's {@link ModelRegistry} loads each model variant once per process and keeps it
 * resident, so share one CascadeRenderer between the workers of a JVM. Each variant's load time is
 * reported once to the listeners added with {@link #onModelLoaded}.
 *
 * <p>Errors: cancellation becomes {@link RenderCancelledException}; an invalid request ({@link
 * IllegalArgumentException}) or an unsupported feature is a non-retryable {@link RenderException};
 * out-of-memory and any other failure are retryable.
 */
public final class CascadeRenderer implements Renderer, AutoCloseable {
  private final BatchGenerator generator;
  private final ToLongFunction<String> loadMillis;
  private final AutoCloseable owned;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final List<BiConsumer<String, Duration>> loadListeners = new CopyOnWriteArrayList<>();
  private NumericsSelfCheck selfCheck = NumericsSelfCheck.standard();
  private NumericsCheck numerics;
  private java.util.function.Function<String, String> precisionOf = m -> null;

  /** Renders with {@code pipeline}; closing this renderer closes the pipeline. */
  public CascadeRenderer(CascadePipeline pipeline) {
    this(pipeline::generate, pipeline.registry()::loadMillis, pipeline);
  }

  /**
   * A renderer over a fresh {@link ModelRegistry} on the first device of {@code
   * farm.worker.devices} (the worker process gives each render loop a one-device config): {@code
   * lite}/{@code big} checkpoints under {@code farm.models.dir} (Hugging Face layout), {@code tiny}
   * weights generated on first use under {@code <models dir>/.tiny-cache}, computing at {@code
   * farm.worker.precision} (see {@link #open(ModelRegistry, Precision)}). Closing the renderer
   * frees the models.
   */
  public static CascadeRenderer open(WorkerConfig config) {
    Path models = Path.of(config.modelsDir());
    return open(
        ModelRegistry.open(
            models, models.resolve(".tiny-cache"), RenderDevices.first(config.devices())),
        Precision.parse(WorkerConfig.PRECISION.name(), config.precision()));
  }

  /**
   * A renderer over {@code registry} (closed with the renderer) computing at {@code precision} as
   * {@link PrecisionRouter} routes it: LoRA jobs at the same precision as plain jobs, model big and
   * models fine-tuned from big under fp16 at {@link Precision#AUTO}.
   */
  public static CascadeRenderer open(ModelRegistry registry, Precision precision) {
    PrecisionRouter router =
        new PrecisionRouter(
            precision, registry::baseOf, p -> new CascadePipeline(registry, false, p)::generate);
    CascadeRenderer renderer =
        new CascadeRenderer(
            router,
            m -> {
              Precision p = router.forModel(m);
              return registry.isLoaded(m, p) ? registry.get(m, p).loadMillis() : -1;
            },
            registry);
    renderer.precisionOf = m -> router.forModel(m).label();
    return renderer;
  }

  /** Like {@link #open(WorkerConfig)} with explicit checkpoint and tiny-cache directories. */
  public static CascadeRenderer open(Path modelsDir, Path tinyCacheDir) {
    return new CascadeRenderer(
        new CascadePipeline(ModelRegistry.open(modelsDir, tinyCacheDir), true));
  }

  /** For tests and other generators: {@code loadMillis} gives a variant's load time or -1. */
  public CascadeRenderer(
      BatchGenerator generator, ToLongFunction<String> loadMillis, AutoCloseable owned) {
    this.generator = generator;
    this.loadMillis = loadMillis;
    this.owned = owned;
  }

  /**
   * Replaces the numerics self-check (before {@link #checkNumerics()} first ran); tests inject a
   * check with a miscomputing kernel.
   */
  public synchronized CascadeRenderer useSelfCheck(NumericsSelfCheck check) {
    if (numerics != null) {
      throw new IllegalStateException("the numerics self-check already ran");
    }
    this.selfCheck = check;
    return this;
  }

  /**
   * The {@link NumericsSelfCheck} on the device this renderer's models live on (the engine's
   * default device for a renderer without a registry), run once per renderer (the workers of one
   * device share it) and remembered.
   */
  @Override
  public synchronized NumericsCheck checkNumerics() {
    if (numerics == null) {
      var registry = modelRegistry();
      SelfCheckReport r =
          registry == null ? selfCheck.runOnDefaultDevice() : selfCheck.run(registry.device());
      numerics = new NumericsCheck(r.passed(), r.summary(), r.describe());
    }
    return numerics;
  }

  /**
   * The model registry this renderer renders from (null for test renderers built on a bare
   * generator); the training lane loads its networks from it, so models load once per process.
   */
  public io.cascadefarm.cascade.model.ModelRegistry modelRegistry() {
    if (owned instanceof io.cascadefarm.cascade.model.ModelRegistry r) {
      return r;
    }
    if (owned instanceof io.cascadefarm.cascade.pipeline.CascadePipeline p) {
      return p.registry();
    }
    return null;
  }

  /** Adds a listener told once per variant how long it took to load. */
  public void onModelLoaded(BiConsumer<String, Duration> listener) {
    loadListeners.add(listener);
    reported.forEach(m -> listener.accept(m, Duration.ofMillis(loadMillis.applyAsLong(m))));
  }

  @Override
  public List<List<RenderedImage>> render(List<RenderTask> tasks, RenderListener listener) {
    List<GenerationRequest> batch = tasks.stream().map(RequestMapper::toRequest).toList();
    List<GenerationResult> results;
    try {
      results = generator.generate(batch, bridge(listener));
    } catch (GenerationCancelledException e) {
      throw new RenderCancelledException(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new RenderException("invalid_input", e.getMessage(), false, e);
    } catch (UnsupportedOperationException e) {
      throw new RenderException("unsupported", e.getMessage(), false, e);
    } catch (OutOfMemoryError e) {
      throw new RenderException("out_of_memory", String.valueOf(e.getMessage()), true, e);
    } catch (RuntimeException e) {
      throw new RenderException("render_error", e.toString(), true, e);
    } finally {
      reportLoad(batch.get(0).model());
    }
    List<List<RenderedImage>> out = new ArrayList<>();
    for (GenerationResult r : results) {
      out.add(r.images().stream().map(CascadeRenderer::toRendered).toList());
    }
    return out;
  }

  private static RenderedImage toRendered(GeneratedImage g) {
    return new RenderedImage(g.bytes(), g.width(), g.height(), g.seed(), g.format());
  }

  private static GenerationListener bridge(RenderListener l) {
    return new GenerationListener() {
      @Override
      public void onStep(String stage, int step, int steps) {
        l.onStep(stage, step, steps);
      }

      @Override
      public boolean wantsPreview(int request) {
        return l.wantsPreview(request);
      }

      @Override
      public void onPreview(int request, int step, int steps, java.awt.image.BufferedImage image) {
        l.onPreview(
            request,
            step,
            steps,
            new PreviewImage(ImageCodec.encodePng(image), image.getWidth(), image.getHeight()));
      }

      @Override
      public boolean isCancelled() {
        return l.isCancelled();
      }
    };
  }

  private void reportLoad(String model) {
    long ms = loadMillis.applyAsLong(model);
    if (ms >= 0 && reported.add(model)) {
      loadListeners.forEach(l -> l.accept(model, Duration.ofMillis(ms)));
    }
  }

  /** The precision a group of {@code model} renders at (null for renderers on a bare generator). */
  @Override
  public String precisionOf(String model) {
    return precisionOf.apply(model);
  }

  /** {@code tiny} has random weights: say so, since its images are noise. */
  @Override
  public String describeModel(String model) {
    if ("tiny".equals(model)) {
      return TinyPreset.DESCRIPTION;
    }
    return model;
  }

  @Override
  public void close() throws Exception {
    if (owned != null) {
      owned.close();
    }
  }
}
