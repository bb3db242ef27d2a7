package io.cascadefarm.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.net.lora.TrainToken;
import io.cascadefarm.cascade.train.LoraOutput;
import io.cascadefarm.cascade.train.LoraTrainer;
import io.cascadefarm.cascade.train.Trainable;
import io.cascadefarm.cascade.train.TrainerState;
import io.cascadefarm.cascade.train.TrainingRandomness;
import io.cascadefarm.common.digest.Sha256;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.TrainedLora;
import io.cascadefarm.common.port.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * One attempt of a {@code train_lora} job: loads the dataset, builds a {@link LoraTrainer} on the
 * worker's model, runs the {@link TrainingLoop} (resume, progress, checkpoints every {@code
 * save_every}), then writes the LoRA, registers it under {@code lora_name} for the tenant and
 * returns the result.
 */
final class LoraTrainingRun implements TrainingRun {
  private final ModelRegistry models;
  private final ObjectStore objects;
  private final Checkpoints checkpoints;

  LoraTrainingRun(ModelRegistry models, ObjectStore objects) {
    this.models = models;
    this.objects = objects;
    this.checkpoints = new Checkpoints(objects);
  }

  @Override
  public Optional<JobResult> run(Job job, Lease lease, Control control, Consumer<Outcome> outcome) {
    JobParams p = job.params();
    List<TrainingData.Sample> samples = TrainingDatasets.load(objects, p);
    if (!LoraRegistration.mayWrite(objects, p.loraName(), job.tenant())) {
      throw new TrainingFailure(
          "invalid_input", "lora_name '" + p.loraName() + "' is taken by another tenant");
    }
    CascadeModels m = models.get(p.model());
    List<TrainToken> tokens = new ArrayList<>();
    for (List<String> e : p.trainTokens()) {
      tokens.add(new TrainToken(e.get(0), e.size() > 1 ? e.get(1) : null));
    }
    LoraTrainer.Settings settings =
        new LoraTrainer.Settings(
            p.rank(),
            p.moduleFilters(),
            tokens,
            p.lr(),
            p.warmupUpdates(),
            p.gradAccumSteps(),
            p.steps(),
            false);
    int micro = p.batchSize() / p.gradAccumSteps();
    long seed = p.seed();
    try (NDManager manager = NDManager.newBaseManager(models.device())) {
      LoraTrainer t;
      try {
        t =
            LoraTrainer.create(
                new LoraTrainer.Networks(m.stageCLoras().base(), m.text(), m.image(), m.effnet()),
                settings,
                LoraTrainer.seededUpInit(seed),
                manager);
      } catch (IllegalArgumentException e) {
        throw new TrainingFailure("invalid_input", e.getMessage());
      }
      try (t) {
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
        byte[] file = loraFile(t, job, p);
        String sha = Sha256.hex(file);
        if (!LoraRegistration.register(objects, p.loraName(), job.tenant(), file, sha)) {
          throw new TrainingFailure(
              "invalid_input", "lora_name '" + p.loraName() + "' is taken by another tenant");
        }
        outcome.accept(Outcome.SUCCEEDED);
        return Optional.of(
            JobResult.trained(new TrainedLora(p.loraName(), sha), loss.getAsDouble(), t.updates()));
      }
    }
  }

  /** A {@link LoraTrainer} as the loop and the checkpoints see it. */
  private record Session(LoraTrainer t, int micro, long seed) implements TrainingSession {
    @Override
    public TrainerState trainer() {
      return t;
    }

    @Override
    public Iteration next(TrainingData data, NDManager m) {
      LoraTrainer.Step s =
          t.iterate(data.next(micro, m), TrainingRandomness.seeded(seed, t.iteration() + 1));
      return new Iteration(s.loss(), s.update(), s.updates(), s.lr());
    }

    @Override
    public void restoreTensor(String name, NDArray value) {
      for (Trainable p : t.parameters()) {
        if (p.name().equals(name)) {
          p.replace(value);
          return;
        }
      }
      throw new IllegalStateException("no trained tensor " + name);
    }
  }

  @Override
  public void cleanUp(Job job) {
    Cleanup.checkpoints(checkpoints, job);
  }

  private byte[] loraFile(LoraTrainer t, Job job, JobParams p) {
    try {
      Path tmp = Files.createTempFile("farm-lora", ".safetensors");
      try {
        LoraOutput.write(
            t,
            Map.of(
                "farm.model", p.model(),
                "farm.job", job.id().toString(),
                "farm.steps", Long.toString(t.updates())),
            tmp);
        return Files.readAllBytes(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
