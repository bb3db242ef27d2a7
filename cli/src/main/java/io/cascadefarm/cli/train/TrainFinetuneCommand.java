package io.cascadefarm.cli.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cli.client.ApiClient;
import io.cascadefarm.cli.client.ApiOptions;
import io.cascadefarm.common.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code farm train finetune --stage c|b NAME DATASET}: uploads a dataset (as {@code farm train
 * lora} does) and submits a {@code finetune_c} or {@code finetune_b} job (full fine-tuning; the
 * farm must allow it and the API key needs the admin scope); prints the job id, or with {@code
 * --watch} follows it. The result is model {@code <tenant>/NAME}. Unset options take the official
 * config's values for the stage and model size.
 */
@Command(
    name = "finetune",
    mixinStandardHelpOptions = true,
    description =
        "Fine-tunes every weight of Stage C or Stage B on DATASET (a folder of NNN.png + NNN.txt,"
            + " or a .zip/.tar of them) as a finetune_c / finetune_b job; the result renders as"
            + " model <tenant>/NAME. Needs farm.training.finetune-enabled and an admin-scope key;"
            + " prints the job id.")
public final class TrainFinetuneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;

  @Parameters(index = "0", description = "Name the model is registered under (<tenant>/NAME)")
  String name;

  @Parameters(index = "1", description = "Folder of NNN.png + NNN.txt, or a .zip / .tar of them")
  Path dataset;

  @Option(names = "--stage", required = true, description = "c (train_c.py) or b (train_b.py)")
  String stage;

  @Option(names = "--model", description = "Base: tiny, lite or big (default: ${DEFAULT-VALUE})")
  String model = "lite";

  @Option(names = "--steps", description = "Optimizer updates (default: the official config's)")
  Integer steps;

  @Option(names = "--lr", description = "Learning rate (default 1e-4)")
  Double lr;

  @Option(names = "--batch-size", description = "Images per update (default: the config's)")
  Integer batchSize;

  @Option(names = "--grad-accum-steps", description = "Iterations per update (default 1)")
  Integer gradAccum;

  @Option(names = "--warmup-updates", description = "Warm-up updates (default 1)")
  Integer warmup;

  @Option(names = "--save-every", description = "Checkpoint every N updates (default: config's)")
  Integer saveEvery;

  @Option(names = "--image-size", description = "Bucket pixel density side (default: config's)")
  Integer imageSize;

  @Option(names = "--ema-iters", description = "Keep an EMA copy updated every N iterations")
  Integer emaIters;

  @Option(names = "--ema-beta", description = "EMA beta (default 0.9, with --ema-iters)")
  Double emaBeta;

  @Option(
      names = "--ema-start-iters",
      description = "EMA follows the weights until this iteration (default 5000)")
  Integer emaStart;

  @Option(names = "--seed", description = "Seed of the data order and noise")
  Long seed;

  @Option(names = "--watch", description = "Follow the job until it is final")
  boolean watch;

  @Override
  public Integer call() throws Exception {
    String kind =
        switch (stage.toLowerCase(java.util.Locale.ROOT)) {
          case "c" -> "finetune_c";
          case "b" -> "finetune_b";
          default -> throw new IllegalArgumentException("--stage must be c or b, got " + stage);
        };
    PrintWriter out = spec.commandLine().getOut();
    ApiClient c = api.client();
    ObjectNode job = Json.mapper().createObjectNode();
    job.put("kind", kind).put("model", model).put("model_name", name);
    job.set("dataset", TrainLoraCommand.upload(c, dataset));
    TrainLoraCommand.putIf(job, "steps", steps);
    TrainLoraCommand.putIf(job, "batch_size", batchSize);
    TrainLoraCommand.putIf(job, "grad_accum_steps", gradAccum);
    TrainLoraCommand.putIf(job, "warmup_updates", warmup);
    TrainLoraCommand.putIf(job, "save_every", saveEvery);
    TrainLoraCommand.putIf(job, "image_size", imageSize);
    TrainLoraCommand.putIf(job, "ema_iters", emaIters);
    TrainLoraCommand.putIf(job, "ema_start_iters", emaStart);
    if (emaBeta != null) {
      job.put("ema_beta", emaBeta);
    }
    if (lr != null) {
      job.put("lr", lr);
    }
    if (seed != null) {
      job.put("seed", seed);
    }
    String id = c.postJson("/v1/jobs", job).path("id").asText();
    out.println(id);
    out.flush();
    return watch ? TrainWatch.follow(c, id, out) : 0;
  }
}
