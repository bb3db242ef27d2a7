package io.cascadefarm.worker.train;

import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.common.config.TrainSettings;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.port.FailOutcome;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.common.topic.WorkerClientIds;
import io.cascadefarm.infra.kafka.KafkaDeadLetterPublisher;
import io.cascadefarm.worker.WorkerPorts;
import io.cascadefarm.worker.queue.JobMessageCodec;
import io.cascadefarm.worker.render.EventSender;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training lane of a worker process: {@code slots} threads, each taking one training job
 * ({@code train_lora}, {@code finetune_c}, {@code finetune_b}) at a time from the training topic
 * ({@link io.cascadefarm.common.topic.Topics#train()}) in its own consumer group ({@code
 * <farm.worker.group>.train}). Rendering threads never see training jobs and training slots never
 * take render jobs, so a long training run cannot delay renders queued behind it (they share the
 * machine's compute, not a queue).
 *
 * <p>A slot polls one record, claims the job in the store (lease and fencing epoch, as renders),
 * commits the offset and closes its consumer before training (PostgreSQL is the truth: a job whose
 * worker dies is re-queued by the lease reaper and re-published to this topic). While it trains, a
 * heartbeat renews the lease every {@code farm.worker.heartbeat}; losing it, or the job being
 * cancelled, stops the run before its next iteration, writing nothing. Closing the lane drains: a
 * running job checkpoints and is handed back ({@code release}) to resume elsewhere.
 */
public final class TrainLane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainLane.class);

  private final WorkerConfig config;
  private final WorkerPorts ports;
  private final TrainingRun loras;
  private final TrainingRun finetunes;
  private final Supplier<Consumer<String, byte[]>> consumers;
  private final EventSender events;
  private final ScheduledExecutorService heartbeats;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();

  TrainLane(
      WorkerConfig config,
      WorkerPorts ports,
      ModelRegistry models,
      Supplier<Consumer<String, byte[]>> consumers) {
    this.config = config;
    this.ports = ports;
    this.loras = new LoraTrainingRun(models, ports.objects());
    this.finetunes = new FinetuneTrainingRun(models, ports.objects());
    this.consumers = consumers;
    this.events = new EventSender(ports.events(), config.workerId(), Clock.systemUTC());
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "train-heartbeat"));
  }

  /** Starts {@code settings.slots()} slots (none when 0 or without models). */
  public static TrainLane start(
      WorkerConfig config, WorkerPorts ports, ModelRegistry models, TrainSettings settings) {
    TrainLane lane =
        new TrainLane(config, ports, models, () -> new KafkaConsumer<>(consumerSettings(config)));
    if (models == null) {
      if (settings.slots() > 0) {
        LOG.info("worker {}: no model registry, training lane off", config.workerId());
      }
      return lane;
    }
    for (int i = 0; i < settings.slots(); i++) {
      Thread t = new Thread(lane::slot, "farm-train-" + config.workerId() + "-" + i);
      t.setDaemon(true);
      lane.threads.add(t);
      t.start();
    }
    if (settings.slots() > 0) {
      LOG.info(
          "worker {}: {} training slot(s) consuming {}",
          config.workerId(),
          settings.slots(),
          config.kafka().topics().train());
    }
    return lane;
  }

  static Properties consumerSettings(WorkerConfig c) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka().bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, c.consumerGroup() + ".train");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, WorkerClientIds.of(c.workerId()) + "-train");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "15000");
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** One slot: take a job, train it, repeat until the lane closes. */
  private void slot() {
    while (!stopping.get()) {
      try {
        Optional<JobMessage> next = take();
        next.ifPresent(this::handle);
      } catch (RuntimeException e) {
        LOG.warn("training slot error: {}", e.toString());
        sleep(Duration.ofSeconds(1));
      }
    }
  }

  /** Polls until one message arrives (or the lane stops); commits it; closes the consumer. */
  private Optional<JobMessage> take() {
    try (Consumer<String, byte[]> c = consumers.get()) {
      c.subscribe(List.of(config.kafka().topics().train()));
      while (!stopping.get()) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          c.commitSync(
              Map.of(
                  new TopicPartition(r.topic(), r.partition()),
                  new OffsetAndMetadata(r.offset() + 1)));
          return JobMessageCodec.decode(r.key(), r.value());
        }
      }
      return Optional.empty();
    }
  }

  private void handle(JobMessage m) {
    Optional<Lease> claimed = ports.store().claim(m.jobId(), config.workerId(), config.lease());
    if (claimed.isEmpty()) {
      return; // finished, cancelled, running elsewhere or backing off: the store decides
    }
    Lease lease = claimed.get();
    Job job = ports.store().find(m.jobId()).orElseThrow();
    events.status(job, JobStatus.RUNNING, null);
    AtomicBoolean lost = new AtomicBoolean();
    var beat =
        heartbeats.scheduleAtFixedRate(
            () -> {
              try {
                if (!ports.store().heartbeat(lease, config.lease())) {
                  lost.set(true);
                }
              } catch (RuntimeException e) {
                LOG.debug("heartbeat of {} failed: {}", job.id(), e.toString());
              }
            },
            config.heartbeat().toMillis(),
            config.heartbeat().toMillis(),
            TimeUnit.MILLISECONDS);
    TrainingRun runs = job.kind() != null && job.kind().isFinetune() ? finetunes : loras;
    TrainingRun.Control control =
        new TrainingRun.Control() {
          private long checks;

          @Override
          public boolean keepGoing() {
            if (lost.get()) {
              return false;
            }
            if (checks++ % 4 == 0) {
              Optional<JobStatus> s = ports.store().status(job.id());
              if (s.isEmpty() || s.get() != JobStatus.RUNNING) {
                lost.set(true);
              }
            }
            return !lost.get();
          }

          @Override
          public boolean draining() {
            return stopping.get();
          }

          @Override
          public boolean progress(JobProgress p) {
            boolean ok = ports.store().progress(lease, p);
            if (ok) {
              events.progress(job, p);
            } else {
              lost.set(true);
            }
            return ok;
          }
        };
    TrainingRun.Outcome[] outcome = {null};
    try {
      Optional<JobResult> result = runs.run(job, lease, control, o -> outcome[0] = o);
      beat.cancel(false);
      if (result.isPresent()) {
        if (ports.store().succeed(lease, result.get())) {
          events.status(job, JobStatus.SUCCEEDED, null);
          runs.cleanUp(job);
          LOG.info(
              "job {}: trained {} ({} updates, loss {})",
              job.id(),
              result.get().lora() != null
                  ? "LoRA '" + result.get().lora().name() + "'"
                  : "model '" + result.get().model().name() + "'",
              result.get().steps(),
              result.get().loss());
        }
      } else if (outcome[0] == TrainingRun.Outcome.DRAINED) {
        ports.store().release(lease, "worker draining (resumes from its checkpoint)");
      }
    } catch (TrainingFailure e) {
      beat.cancel(false);
      fail(job, lease, new JobError(e.code(), e.getMessage(), false));
    } catch (RuntimeException | Error e) {
      beat.cancel(false);
      LOG.warn("job {}: training attempt failed: {}", job.id(), e.toString());
      fail(job, lease, new JobError("train_error", String.valueOf(e), true));
    }
  }

  private void fail(Job job, Lease lease, JobError error) {
    FailOutcome o = ports.store().fail(lease, error, config.retryBackoffBase());
    if (o == FailOutcome.FAILED) {
      events.status(job, JobStatus.FAILED, error);
      JobMessage dead = new JobMessage(job.id(), job.params().batchKey());
      if (ports.deadLetters() instanceof KafkaDeadLetterPublisher k) {
        k.publish(dead, error);
      } else {
        ports.deadLetters().publish(dead);
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops taking jobs; a running job checkpoints and is released; waits for the slots. */
  @Override
  public void close() {
    stopping.set(true);
    for (Thread t : threads) {
      try {
        t.join(config.drainTimeout().plusSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    heartbeats.shutdownNow();
  }
}
