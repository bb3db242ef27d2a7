package io.cascadefarm.worker.render;

import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.ClaimedJob;
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
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one group of job messages: claims its jobs in the store in one call (leases with fencing
 * epochs, and the jobs themselves), loads its inputs, keeps the leases alive ({@link #prepare}: the
 * poll loop does this for the next group while the current one renders), renders the compatible
 * jobs in one call ({@link GroupRender}) and completes them; the {@code watchdog} thread enforces
 * {@code farm.worker.render-timeout} ({@link RenderTimeout}). A message whose job is not claimable
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
  private final Finisher finisher;
  private final List<ActiveJob> current = new CopyOnWriteArrayList<>();
  private volatile boolean aborted;

  /** An executor that finishes each group before {@link #handle} returns. */
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
    this(
        config,
        ports,
        render,
        heartbeats,
        watchdog,
        metrics,
        clock,
        sleeper,
        backoff,
        Finisher.direct());
  }

  /**
   * An executor whose groups are finished (uploaded, completed, leases given up) by {@code
   * finisher}; with its own thread, {@link #handle} returns once the group is rendered and the
   * previous group finished, so uploads overlap the next render.
   */
  public BatchExecutor(
      WorkerConfig config,
      WorkerPorts ports,
      GroupRender.Factory render,
      ScheduledExecutorService heartbeats,
      ScheduledExecutorService watchdog,
      WorkerMetrics metrics,
      Clock clock,
      Retrier.Sleeper sleeper,
      Backoff backoff,
      Finisher finisher) {
    this.finisher = finisher;
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
    return prepare(group).render();
  }

  /** The poll loop claims and prepares the next group while this one renders. */
  @Override
  public boolean preparesAhead() {
    return true;
  }

  /**
   * Claims the group's jobs, starts renewing their leases and loads their inputs; the returned
   * group renders them (unless aborted meanwhile) or hands them back. A job whose lease is lost
   * while it waits is dropped from the render ({@link LeaseKeeper}, {@link GroupRender}).
   */
  @Override
  public Prepared prepare(List<JobMessage> group) {
    if (aborted) {
      return unclaimed(group, MessageOutcome.RETRY_LATER);
    }
    List<ActiveJob> claimed;
    try {
      claimed = claim(group);
    } catch (RuntimeException e) {
      LOG.warn("cannot claim {} job(s): {}", group.size(), e.toString());
      return unclaimed(group, MessageOutcome.RETRY_LATER);
    }
    if (claimed.isEmpty()) {
      return unclaimed(group, MessageOutcome.SETTLED);
    }
    current.addAll(claimed);
    LeaseKeeper keeper =
        new LeaseKeeper(heartbeats, store, config.heartbeat(), config.lease(), claimed, metrics);
    List<ActiveJob> ready;
    try {
      ready = loadInputs(claimed);
    } catch (RuntimeException | Error e) {
      keeper.close();
      releaseJobs(claimed, "preparing the group failed: " + e);
      current.removeAll(claimed);
      throw e;
    }
    return new Prepared() {
      @Override
      public List<MessageOutcome> render() {
        List<Runnable> completions = new ArrayList<>();
        try {
          if (!aborted) {
            renderReady(ready, completions);
          }
        } finally {
          finisher.submit(() -> settle(claimed, keeper, completions));
        }
        return Collections.nCopies(group.size(), MessageOutcome.SETTLED);
      }

      @Override
      public List<MessageOutcome> release() {
        try {
          keeper.close();
          releaseJobs(claimed, "worker draining");
        } finally {
          current.removeAll(claimed);
        }
        return Collections.nCopies(group.size(), MessageOutcome.SETTLED);
      }
    };
  }

  private static Prepared unclaimed(List<JobMessage> group, MessageOutcome outcome) {
    List<MessageOutcome> outcomes = Collections.nCopies(group.size(), outcome);
    return new Prepared() {
      @Override
      public List<MessageOutcome> render() {
        return outcomes;
      }

      @Override
      public List<MessageOutcome> release() {
        return outcomes;
      }
    };
  }

  /**
   * Claims the group's jobs in one store call that also returns them; a message whose job is not
   * claimable is settled as a no-op.
   */
  private List<ActiveJob> claim(List<JobMessage> group) {
    List<UUID> ids = group.stream().map(JobMessage::jobId).toList();
    List<ClaimedJob> claims =
        retrier.call(
            "claim " + ids.size() + " job(s)",
            () -> store.claimAll(ids, config.workerId(), config.lease()));
    long notClaimable = ids.stream().distinct().count() - claims.size();
    for (long i = 0; i < notClaimable; i++) {
      metrics.skipped();
    }
    List<ActiveJob> out = new ArrayList<>();
    for (ClaimedJob c : claims) {
      events.status(c.job(), JobStatus.RUNNING, null);
      out.add(new ActiveJob(c.lease(), c.job()));
    }
    if (notClaimable > 0) {
      LOG.debug("{} of {} job(s) not claimable: settled as no-ops", notClaimable, ids.size());
    }
    return out;
  }

  /** Loads each job's inputs; a job whose inputs cannot be loaded fails here. */
  private List<ActiveJob> loadInputs(List<ActiveJob> claimed) {
    List<ActiveJob> ready = new ArrayList<>();
    for (ActiveJob j : claimed) {
      try {
        j.inputs(inputs.load(j.job().params()));
        ready.add(j);
      } catch (RuntimeException e) {
        completer.fail(j, FailureClassifier.classify(e));
      }
    }
    return ready;
  }

  /** Renders the ready jobs; the uploads and completions go to {@code completions}. */
  private void renderReady(List<ActiveJob> ready, List<Runnable> completions) {
    Map<String, List<ActiveJob>> byKey = new LinkedHashMap<>();
    ready.forEach(j -> byKey.computeIfAbsent(renderGroup(j), k -> new ArrayList<>()).add(j));
    byKey.values().forEach(g -> render.renderAndComplete(g, completions::add));
  }

  /**
   * Finishes a rendered group: its uploads and completions, then its leases stop being renewed;
   * when aborted, whatever is still active is handed back.
   */
  private void settle(List<ActiveJob> claimed, LeaseKeeper keeper, List<Runnable> completions) {
    try {
      completions.forEach(Runnable::run);
    } finally {
      try {
        keeper.close();
        if (aborted) {
          releaseAll();
        }
      } finally {
        current.removeAll(claimed);
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

  /**
   * Hands back every job held (the group rendering and the one prepared ahead) that is still
   * active, without using an attempt.
   */
  private void release(String reason) {
    releaseJobs(current, reason);
  }

  private void releaseJobs(List<ActiveJob> jobs, String reason) {
    for (ActiveJob j : jobs) {
      if (j.leave(ActiveJob.State.RELEASED)) {
        completer.release(j, reason);
      }
    }
  }
}
