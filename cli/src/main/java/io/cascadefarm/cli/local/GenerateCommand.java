package io.cascadefarm.cli.local;

import io.cascadefarm.cascade.model.ModelLayout;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.pipeline.CascadePipeline;
import io.cascadefarm.cascade.pipeline.GeneratedImage;
import io.cascadefarm.cascade.pipeline.GenerationListener;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationResult;
import io.cascadefarm.cascade.tools.bench.ComputeThread;
import io.cascadefarm.cascade.tools.numerics.NumericsSelfCheck;
import io.cascadefarm.cascade.tools.numerics.SelfCheckReport;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farm generate}: renders on this machine with {@link CascadePipeline}, without the farm.
 * Shows a progress bar per stage on stderr, prints the time per stage and writes one PNG per image
 * ({@code out.png}, {@code out-1.png}, ...) carrying its parameters as PNG text chunks.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Renders images locally (no farm): text-to-image, or with --image: image_to_image,",
      "image_variation or reconstruct; with --control TYPE: controlnet (canny, inpaint,",
      "outpaint, super_resolution, identity). --lora name=path[:strength] adds LoRAs.",
      "--model tiny needs no download (random weights: noise).",
      "Same seed and parameters on the same device give identical pixels."
    })
public final class GenerateCommand implements Callable<Integer> {
  @Mixin GenerateOptions o;

  @Option(
      names = "--models-dir",
      description = "Model directory (default: $FARM_MODELS_DIR or ./models)")
  Path modelsDir;

  @Option(
      names = "--out",
      required = true,
      description =
          "Output PNG (more images: out-1.png, ...); --kind prior writes the Stage C latents"
              + " (safetensors)")
  Path out;

  @Option(
      names = "--skip-selfcheck",
      description =
          "Do not run the numerics self-check first (saves ~1 s; wrong kernels then go unnoticed)")
  boolean skipSelfCheck;

  @Spec CommandSpec spec;

  /** Exit code when this host's kernels compute wrong numbers. */
  static final int WRONG_NUMBERS = 3;

  @Override
  public Integer call() throws Exception {
    GenerationRequest request = o.toRequest();
    o.precision().check(request.model());
    Path dir = ModelsDir.resolve(modelsDir);
    requireFiles(dir, request.model());
    PrintWriter w = spec.commandLine().getOut();
    PrintStream err = System.err;
    if (!skipSelfCheck) {
      SelfCheckReport check =
          ComputeThread.call(
              "farm-selfcheck", () -> NumericsSelfCheck.standard().runOnDefaultDevice());
      if (!check.passed()) {
        err.println(check.describe());
        return WRONG_NUMBERS;
      }
      err.println(check.summary());
    }
    ProgressBar bar = new ProgressBar(err);
    GenerationResult result;
    try (ModelRegistry registry = ModelRegistry.open(dir, dir.resolve("tiny"));
        CascadePipeline pipeline = new CascadePipeline(registry, false, o.precision().model())) {
      err.println("loading model " + request.model() + " from " + dir + " ...");
      long t0 = System.nanoTime();
      ComputeThread.call("farm-load", () -> registry.get(request.model(), pipeline.precision()));
      long loadMs = (System.nanoTime() - t0) / 1_000_000;
      result = ComputeThread.call("farm-render", () -> pipeline.generate(request, progress(bar)));
      bar.finishLine();
      w.printf("model load: %d ms%n", loadMs);
    }
    for (Map.Entry<String, Long> e : result.stageMillis().entrySet()) {
      w.printf("%-10s %d ms%n", e.getKey() + ":", e.getValue());
    }
    write(result.images(), w);
    w.printf("seed %d%n", result.seed());
    w.flush();
    return 0;
  }

  private void write(List<GeneratedImage> images, PrintWriter w) throws java.io.IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    for (int i = 0; i < images.size(); i++) {
      Path file = PngFiles.nth(out, i);
      GeneratedImage img = images.get(i);
      Files.write(file, img.bytes());
      w.printf("wrote %s (%dx%d, seed %d)%n", file, img.width(), img.height(), img.seed());
    }
  }

  private static GenerationListener progress(ProgressBar bar) {
    return new GenerationListener() {
      @Override
      public void onStep(String stage, int step, int steps) {
        bar.update(stage, step, steps, " steps");
      }
    };
  }

  /** Clear error naming missing files for lite/big before anything is loaded. */
  static void requireFiles(Path dir, String model) {
    if (!model.equals("lite") && !model.equals("big")) {
      return;
    }
    List<Path> missing = new ModelLayout(dir).missingFor(model.equals("lite"));
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "model '"
              + model
              + "' is not complete in "
              + dir
              + "; missing "
              + missing
              + ". Download it with: farm models pull --variant "
              + model
              + " --models-dir "
              + dir);
    }
  }
}
