package io.cascadefarm.cli.local;

import io.cascadefarm.cli.hub.DownloadListener;
import io.cascadefarm.cli.hub.FileRef;
import io.cascadefarm.cli.hub.HubClient;
import io.cascadefarm.cli.hub.ModelPull;
import io.cascadefarm.cli.hub.SaliencyPull;
import io.cascadefarm.cli.hub.VariantFiles;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farm models pull}: downloads exactly the files a variant needs, resuming interrupted
 * downloads and checking size and hash against the hub's metadata.
 */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Downloads the files of a variant from stabilityai/stable-cascade (+ the CLIP image encoder",
      "from stabilityai/stable-cascade-prior), with --controlnets also the ControlNets and the",
      "saliency model. Resumes interrupted downloads; checks size and",
      "SHA-256. Gated repos: accept the licence on the website, then pass --token or HF_TOKEN."
    })
public final class ModelsPullCommand implements Callable<Integer> {
  @Option(names = "--variant", description = "lite or big")
  String variant;

  @Option(
      names = "--controlnets",
      description =
          "Also the official ControlNets (controlnet/canny, inpainting, super_resolution; for"
              + " model big) and the saliency model of mask-less inpaint/outpaint (the official"
              + " repository's saliency_model.pt at a pinned commit, converted to safetensors)")
  boolean controlNets;

  @Option(names = "--dtype", defaultValue = "bf16", description = "bf16 (default) or fp32")
  String dtype;

  @Option(
      names = "--models-dir",
      description = "Model directory (default: $FARM_MODELS_DIR or ./models)")
  Path modelsDir;

  @Option(names = "--token", description = "Hugging Face access token (default: $HF_TOKEN)")
  String token;

  @Option(
      names = "--endpoint",
      defaultValue = HubClient.DEFAULT_ENDPOINT,
      description = "Hub endpoint (default: ${DEFAULT-VALUE})")
  String endpoint;

  @Option(
      names = "--retries",
      defaultValue = "5",
      description = "Resumes per file after a dropped connection")
  int retries;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path dir = ModelsDir.resolve(modelsDir);
    String t = token != null ? token : System.getenv("HF_TOKEN");
    PrintWriter w = spec.commandLine().getOut();
    ProgressBar bar = new ProgressBar(System.err);
    if (variant == null && !controlNets) {
      throw new IllegalArgumentException("give --variant lite|big, --controlnets or both");
    }
    java.util.List<FileRef> files = new java.util.ArrayList<>();
    if (variant != null) {
      files.addAll(VariantFiles.files(variant, dtype));
    }
    if (controlNets) {
      files.addAll(VariantFiles.controlNets());
    }
    String what =
        (variant == null ? "" : variant + " (" + dtype + ")")
            + (variant != null && controlNets ? " + " : "")
            + (controlNets ? "controlnets" : "");
    w.printf("pulling %s from %s into %s%n", what, endpoint, dir);
    w.flush();
    DownloadListener l = listener(bar, System.err);
    ModelPull.Report r =
        new ModelPull(new HubClient(endpoint, t), dir, l, retries)
            .pull(files, variant == null ? "controlnets" : variant);
    if (controlNets) {
      SaliencyPull.pull(SaliencyPull.OFFICIAL, dir, l);
    }
    bar.finishLine();
    w.printf(
        "done: %d file(s) downloaded (%.2f GiB), %d already present%n",
        r.downloaded().size(), r.bytesDownloaded() / 1073741824.0, r.present().size());
    w.flush();
    return 0;
  }

  static DownloadListener listener(ProgressBar bar, PrintStream err) {
    return new DownloadListener() {
      @Override
      public void started(FileRef file, long already, long total) {
        bar.finishLine();
        err.printf(
            "%s (%.1f MiB)%s%n",
            file,
            total / 1048576.0,
            already > 0 ? String.format(", resuming at %.1f MiB", already / 1048576.0) : "");
      }

      @Override
      public void progress(FileRef file, long done, long total) {
        bar.update(
            file.path().substring(file.path().lastIndexOf('/') + 1),
            done >> 20,
            total >> 20,
            " MiB");
      }

      @Override
      public void note(String message) {
        bar.finishLine();
        err.println(message);
      }

      @Override
      public void finished(FileRef file, long total) {
        bar.finishLine();
      }
    };
  }
}
