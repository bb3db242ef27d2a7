package io.cascadefarm.worker.train;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.net.lora.TrainToken;
import io.cascadefarm.cascade.train.LoraOutput;
import io.cascadefarm.cascade.train.LoraTrainer;
import io.cascadefarm.cascade.train.TrainingRandomness;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.contract.JobLimits;
import io.cascadefarm.common.dataset.DatasetArchive;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.TrainImage;
import io.cascadefarm.common.job.TrainedLora;
import io.cascadefarm.common.port.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a {@code train_lora} job: loads the dataset, builds a {@link LoraTrainer} on the
 * worker's model, resumes from the job's last checkpoint if one exists, runs the remaining
 * iterations (reporting every update, checkpointing every {@code save_every}), then writes the
 * LoRA, registers it under {@code lora_name} for the tenant and returns the result. It stops early,
 * without writing anything, when {@code keepGoing} turns false (lease lost or job cancelled), and
 * checkpoints before stopping when asked to drain.
 */
final class LoraTrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(LoraTrainingRun.class);

  /** How an attempt ended. */
  enum Outcome {
    SUCCEEDED,
    STOPPED,
    DRAINED
  }

  /** Hooks of the run into the lane (lease, progress, cancellation, draining). */
  interface Control {
    /** False once the lease is lost or the job was cancelled: stop, write nothing. */
    boolean keepGoing();

    /** True when the worker drains: checkpoint and hand the job back. */
    boolean draining();

    /** Records progress under the lease; false if the lease is gone. */
    boolean progress(JobProgress p);
  }

  static final DatasetArchive.Limits ARCHIVE_LIMITS =
      new DatasetArchive.Limits(
          JobContract.MAX_DATASET_IMAGES, 20 << 20, JobLimits.CEILING.maxPromptChars(), 2L << 30);

  private final ModelRegistry models;
  private final ObjectStore objects;
  private final Checkpoints checkpoints;

  LoraTrainingRun(ModelRegistry models, ObjectStore objects) {
    this.models = models;
    this.objects = objects;
    this.checkpoints = new Checkpoints(objects);
  }

  /** The result to record, or empty when the run stopped or drained. */
  Optional<JobResult> run(Job job, Lease lease, Control control, Consumer<Outcome> outcome) {
    JobParams p = job.params();
    List<TrainingData.Sample> samples = dataset(p);
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
        Optional<Double> resumed = checkpoints.restore(job.id(), t, data, manager);
        double ema = resumed.orElse(Double.NaN);
        resumed.ifPresent(
            e ->
                LOG.info(
                    "job {}: resuming from the checkpoint after update {} (iteration {})",
                    job.id(),
                    t.updates(),
                    t.iteration()));
        while (t.iteration() < t.maxIterations()) {
          if (!control.keepGoing()) {
            outcome.accept(Outcome.STOPPED);
            return Optional.empty();
          }
          if (control.draining()) {
            if (t.updates() > 0 && t.iteration() % p.gradAccumSteps() == 0) {
              checkpoints.save(job.id(), t, ema, data);
            }
            outcome.accept(Outcome.DRAINED);
            return Optional.empty();
          }
          LoraTrainer.Step s;
          try (NDManager step = manager.newSubManager()) {
            LoraTrainer.Batch batch = data.next(micro, step);
            s = t.iterate(batch, TrainingRandomness.seeded(seed, t.iteration() + 1));
          }
          ema = Double.isNaN(ema) ? s.loss() : ema * 0.99 + s.loss() * 0.01;
          if (!Double.isFinite(s.loss())) {
            throw new TrainingFailure("training_diverged", "the loss is " + s.loss());
          }
          if (s.update()) {
            if (!control.progress(
                new JobProgress(
                    "train", (int) s.updates(), p.steps(), (double) s.loss(), s.lr()))) {
              outcome.accept(Outcome.STOPPED);
              return Optional.empty();
            }
            if (s.updates() % p.saveEvery() == 0 && s.updates() < p.steps()) {
              checkpoints.save(job.id(), t, ema, data);
            }
          }
        }
        if (!control.keepGoing()) {
          outcome.accept(Outcome.STOPPED);
          return Optional.empty();
        }
        byte[] file = loraFile(t, job, p);
        String sha = sha256(file);
        if (!LoraRegistration.register(objects, p.loraName(), job.tenant(), file, sha)) {
          throw new TrainingFailure(
              "invalid_input", "lora_name '" + p.loraName() + "' is taken by another tenant");
        }
        outcome.accept(Outcome.SUCCEEDED);
        return Optional.of(JobResult.trained(new TrainedLora(p.loraName(), sha), ema, t.updates()));
      }
    }
  }

  /** Called after the result is recorded: the checkpoints are no longer needed. */
  void cleanUp(Job job) {
    try {
      checkpoints.clear(job.id());
    } catch (RuntimeException e) {
      LOG.warn("job {}: checkpoints not deleted: {}", job.id(), e.toString());
    }
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

  private List<TrainingData.Sample> dataset(JobParams p) {
    List<TrainingData.Sample> out = new ArrayList<>();
    if (p.dataset().archive() != null) {
      byte[] bytes =
          objects
              .get(p.dataset().archive())
              .orElseThrow(
                  () ->
                      new TrainingFailure(
                          "invalid_input",
                          "dataset archive " + p.dataset().archive() + " is missing"));
      try {
        for (DatasetArchive.Entry e : DatasetArchive.read(bytes, ARCHIVE_LIMITS)) {
          out.add(new TrainingData.Sample(e.image(), e.caption()));
        }
      } catch (IllegalArgumentException e) {
        throw new TrainingFailure("invalid_input", e.getMessage());
      }
      return out;
    }
    for (TrainImage img : p.dataset().images()) {
      byte[] bytes =
          objects
              .get(img.image())
              .orElseThrow(
                  () ->
                      new TrainingFailure(
                          "invalid_input", "dataset image " + img.image() + " is missing"));
      out.add(new TrainingData.Sample(bytes, img.caption() == null ? "" : img.caption()));
    }
    return out;
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
