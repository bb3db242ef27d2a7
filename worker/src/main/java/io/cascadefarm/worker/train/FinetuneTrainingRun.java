package io.cascadefarm.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.train.FinetuneOutput;
import io.cascadefarm.cascade.train.FinetuneTrainer;
import io.cascadefarm.cascade.train.LoraTrainer;
import io.cascadefarm.cascade.train.TrainerState;
import io.cascadefarm.cascade.train.TrainingRandomness;
import io.cascadefarm.common.contract.TrainingConfig;
import io.cascadefarm.common.digest.Sha256;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.TrainedModel;
import io.cascadefarm.common.model.CustomModel;
import io.cascadefarm.common.model.CustomModels;
import io.cascadefarm.common.port.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * One attempt of a {@code finetune_c} or {@code finetune_b} job: loads the dataset, builds a {@link
 * FinetuneTrainer} on a float32 copy of the base model's Stage C or Stage B (the official {@code
 * train_c.py}/{@code train_b.py} step, with the adaptive loss weight of the official config for
 * that model size and EMA when {@code ema_iters} is set), runs the shared {@link TrainingLoop}
 * (resume, progress, checkpoints of weights, EMA copy and AdamW moments every {@code save_every}),
 * then writes the stage in the official key layout ({@link FinetuneOutput}) and registers it as
 * model {@code <tenant>/<model_name>} ({@link CustomModels}).
 */
final class FinetuneTrainingRun implements TrainingRun {
  private final ModelRegistry models;
  private final ObjectStore objects;
  private final Checkpoints checkpoints;

  FinetuneTrainingRun(ModelRegistry models, ObjectStore objects) {
    this.models = models;
    this.objects = objects;
    this.checkpoints = new Checkpoints(objects);
  }

  @Override
  public Optional<JobResult> run(Job job, Lease lease, Control control, Consumer<Outcome> outcome) {
    JobParams p = job.params();
    String name = CustomModels.modelName(job.tenant(), p.modelName());
    if (!CustomModels.mayRegister(objects, name, job.id())) {
      throw new TrainingFailure(
          "invalid_input", "model " + name + " exists already; choose another model_name");
    }
    List<TrainingData.Sample> samples = TrainingDatasets.load(objects, p);
    FinetuneTrainer.Stage stage =
        p.kind() == JobKind.FINETUNE_C ? FinetuneTrainer.Stage.C : FinetuneTrainer.Stage.B;
    CascadeModels m = models.get(p.model());
    CascadeModels.Networks nets = m.networks();
    if (nets == null) {
      throw new TrainingFailure(
          "unsupported", "model " + p.model() + " does not expose its networks for training");
    }
    FinetuneTrainer.Settings settings =
        new FinetuneTrainer.Settings(
            stage,
            p.lr(),
            p.warmupUpdates(),
            p.gradAccumSteps(),
            p.steps(),
            TrainingConfig.of(p.kind(), p.model()).adaptiveLossWeight(),
            p.emaIters() == null
                ? null
                : new FinetuneTrainer.Ema(p.emaIters(), p.emaBeta(), p.emaStartIters()));
    int micro = p.batchSize() / p.gradAccumSteps();
    long seed = p.seed();
    try (NDManager manager = NDManager.newBaseManager(models.device())) {
      FinetuneTrainer.Networks networks =
          new FinetuneTrainer.Networks(
              stage == FinetuneTrainer.Stage.C ? nets.stageC() : nets.stageB(),
              m.text(),
              m.image(),
              m.effnet(),
              nets.stageA());
      try (FinetuneTrainer t = FinetuneTrainer.create(networks, settings, manager)) {
        TrainingData data = new TrainingData(samples, p.imageSize(), seed);
        OptionalDouble loss =
            TrainingLoop.run(
                job.id(),
                p,
                new Session(t, micro, seed),
                data,
                checkpoints,
                control,
                outcome,
                manager);
        if (loss.isEmpty()) {
          return Optional.empty();
        }
        String sha = register(t, job, p, name);
        outcome.accept(Outcome.SUCCEEDED);
        return Optional.of(
            JobResult.finetuned(new TrainedModel(name, sha), loss.getAsDouble(), t.updates()));
      }
    }
  }

  /** Writes the model file, registers it and returns its SHA-256. */
  private String register(FinetuneTrainer t, Job job, JobParams p, String name) {
    try {
      Path tmp = Files.createTempFile("farm-finetune", ".safetensors");
      try {
        FinetuneOutput.write(
            t,
            Map.of(
                "farm.model", name,
                "farm.base", p.model(),
                "farm.kind", p.kind().wire(),
                "farm.job", job.id().toString(),
                "farm.steps", Long.toString(t.updates())),
            tmp);
        String sha = Sha256.hex(tmp);
        CustomModel model =
            new CustomModel(
                name,
                job.tenant(),
                p.model(),
                p.kind() == JobKind.FINETUNE_C ? "c" : "b",
                sha,
                job.id(),
                t.updates(),
                p.emaIters() != null,
                Instant.now());
        if (!CustomModels.register(objects, model, tmp)) {
          throw new TrainingFailure(
              "invalid_input", "model " + name + " exists already; choose another model_name");
        }
        return sha;
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void cleanUp(Job job) {
    Cleanup.checkpoints(checkpoints, job);
  }

  /** A {@link FinetuneTrainer} as the loop and the checkpoints see it. */
  private record Session(FinetuneTrainer t, int micro, long seed) implements TrainingSession {
    private static final String EMA = "ema.";

    @Override
    public TrainerState trainer() {
      return t;
    }

    @Override
    public Iteration next(TrainingData data, NDManager m) {
      LoraTrainer.Batch b = data.next(micro, m);
      long i = t.iteration() + 1;
      TrainingRandomness r =
          t.settings().stage() == FinetuneTrainer.Stage.C
              ? TrainingRandomness.seeded(seed, i)
              : FinetuneTrainer.StageBRandomness.seeded(seed, i);
      FinetuneTrainer.Step s = t.iterate(new FinetuneTrainer.Batch(b.images(), b.captions()), r);
      return new Iteration(s.loss(), s.update(), s.updates(), s.lr());
    }

    @Override
    public Map<String, NDArray> checkpointTensors() {
      Map<String, NDArray> out = new LinkedHashMap<>(TrainingSession.super.checkpointTensors());
      t.ema().forEach((k, v) -> out.put(EMA + k, v));
      return out;
    }

    @Override
    public void restoreTensor(String name, NDArray value) {
      if (name.startsWith(EMA)) {
        t.restoreEma(name.substring(EMA.length()), value);
        value.close();
      } else {
        t.restore(name, value);
      }
    }
  }
}
