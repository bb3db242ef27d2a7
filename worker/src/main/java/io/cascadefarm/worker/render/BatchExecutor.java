package io.cascadefarm.worker.render;

import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.worker.WorkerPorts;
import io.cascadefarm.worker.lora.LoraCache;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import io.cascadefarm.worker.queue.GroupHandler;
import io.cascadefarm.worker.queue.MessageOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one group of job messages: claims each job in the store (lease with a fencing epoch),
 * loads its inputs, keeps the leases alive, renders the compatible jobs in one call ({@link
 * GroupRender}) and completes them; the {@code watchdog} thread enforces {@code
 * farm.worker.render-timeout} ({@link RenderTimeout}). A message whose job is not claimable
 * (finished, running elsewhere, cancelled, backing off) is settled without work: redeliveries are
 * no-ops.
 */
public final class BatchExecutor implements GroupHandler {
  private static final Logger LOG = LoggerFactory.getLogger(BatchExecutor.class);
  private final WorkerConfig config;
  private final JobStore store;
  private final ScheduledExecutorService heartbeats;
  private final WorkerMetrics metrics;
  private final EventSender events;
  private final Retrier retrier;
  private final InputLoader inputs;
  private final Completer completer;
  private final GroupRender render;
  private final List<ActiveJob> current = new CopyOnWriteArrayList<>();
  private volatile boolean aborted;

  public BatchExecutor(
      WorkerConfig config,
      WorkerPorts ports,
      GroupRender.Factory render,
      ScheduledExecutorService heartbeats,
      ScheduledExecutorService watchdog,
      WorkerMetrics metrics,
      Clock clock,
      Retrier.Sleeper sleeper,
      Backoff backoff) {
    this.config = config;
    this.store = ports.store();
    this.heartbeats = heartbeats;
    this.metrics = metrics;
    this.events = new EventSender(ports.events(), config.workerId(), clock);
    this.retrier =
        new Retrier(config.storageRetry(), sleeper, metrics::storageRetry, () -> aborted);
    this.inputs =
        new InputLoader(
            ports.objects(),
            retrier,
            new LoraCache(java.nio.file.Path.of(config.modelsDir()).resolve(".lora-cache")));
    this.completer =
        new Completer(
            store,
            ports.deadLetters(),
            events,
            metrics,
            retrier,
            backoff,
            new DeadAttemptSweeper(ports.objects(), metrics));
    this.render =
        render.create(
            new ResultUploader(ports.objects(), retrier),
            completer,
            events,
            metrics,
            new RenderTimeout(
                watchdog,
                config.renderTimeout(),
                completer,
                metrics,
                config.lease(),
                () -> release("render thread stuck past " + WorkerConfig.RENDER_TIMEOUT.name())),
            () -> aborted);
  }

  @Override
  public List<MessageOutcome> handle(List<JobMessage> group) {
    List<MessageOutcome> outcomes =
        new ArrayList<>(Collections.nCopies(group.size(), MessageOutcome.SETTLED));
    List<ActiveJob> claimed = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) {
      if (aborted) {
        outcomes.set(i, MessageOutcome.RETRY_LATER);
        continue;
      }
      try {
        claim(group.get(i)).ifPresent(claimed::add);
      } catch (RuntimeException e) {
        LOG.warn("cannot claim job {}: {}", group.get(i).jobId(), e.toString());
        outcomes.set(i, MessageOutcome.RETRY_LATER);
      }
    }
    if (!claimed.isEmpty()) {
      current.addAll(claimed);
      try {
        run(claimed);
      } finally {
        current.removeAll(claimed);
      }
    }
    return outcomes;
  }

  private Optional<ActiveJob> claim(JobMessage m) {
    Optional<Lease> lease =
        retrier.call(
            "claim " + m.jobId(), () -> store.claim(m.jobId(), config.workerId(), config.lease()));
    if (lease.isEmpty()) {
      metrics.skipped();
      LOG.debug("job {} not claimable: message settled as a no-op", m.jobId());
      return Optional.empty();
    }
    Job job;
    try {
      job = retrier.call("find " + m.jobId(), () -> store.find(m.jobId())).orElseThrow();
    } catch (RuntimeException e) {
      releaseQuietly(lease.get());
      throw e;
    }
    events.status(job, JobStatus.RUNNING, null);
    return Optional.of(new ActiveJob(lease.get(), job));
  }

  private void releaseQuietly(Lease lease) {
    try {
      store.release(lease, "worker could not read the job");
    } catch (RuntimeException e) {
      LOG.warn("cannot release job {}; its lease will expire", lease.jobId());
    }
  }

  private void run(List<ActiveJob> claimed) {
    try (LeaseKeeper keeper =
        new LeaseKeeper(heartbeats, store, config.heartbeat(), config.lease(), claimed, metrics)) {
      List<ActiveJob> ready = new ArrayList<>();
      for (ActiveJob j : claimed) {
        try {
          j.inputs(inputs.load(j.job().params()));
          ready.add(j);
        } catch (RuntimeException e) {
          completer.fail(j, FailureClassifier.classify(e));
        }
      }
      Map<String, List<ActiveJob>> byKey = new LinkedHashMap<>();
      ready.forEach(j -> byKey.computeIfAbsent(renderGroup(j), k -> new ArrayList<>()).add(j));
      byKey.values().forEach(render::renderAndComplete);
    } finally {
      if (aborted) {
        releaseAll();
      }
    }
  }

  /**
   * The render call a job joins: its batch key, or a call of its own when its previous attempt
   * timed out ({@link RenderTimeout#timedOutBefore}), so a job whose render hangs costs the
   * neighbours it was batched with one attempt, not all of theirs.
   */
  private static String renderGroup(ActiveJob j) {
    return RenderTimeout.timedOutBefore(j.job())
        ? "alone:" + j.job().id()
        : j.job().params().batchKey();
  }

  /** Sets the listener of ended attempts (the worker's registration). */
  public void onAttemptEnded(Completer.AttemptListener listener) {
    completer.onAttemptEnded(listener);
  }

  /** The jobs this worker holds leases on now. */
  public List<java.util.UUID> currentJobs() {
    return current.stream().filter(ActiveJob::active).map(j -> j.job().id()).toList();
  }

  /**
   * Hands back every job in flight without using an attempt (a quarantined worker); the render goes
   * on, and its results are discarded.
   */
  public void releaseCurrent(String reason) {
    release(reason);
  }

  /** Takes work again after a drain that had to abort a render (the worker was released). */
  public void resetAbort() {
    aborted = false;
  }

  @Override
  public void abort() {
    aborted = true;
  }

  @Override
  public void releaseAll() {
    release("worker draining");
  }

  /** Hands back every job of the current group that is still active, without using an attempt. */
  private void release(String reason) {
    for (ActiveJob j : current) {
      if (j.leave(ActiveJob.State.RELEASED)) {
        completer.release(j, reason);
      }
    }
  }
}
