package io.cascadefarm.worker.registry;

import io.cascadefarm.common.config.RegistrySettings;
import io.cascadefarm.common.port.WorkerCommand;
import io.cascadefarm.common.port.WorkerHeartbeat;
import io.cascadefarm.common.port.WorkerRegistry;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's presence in the workers registry. Every {@code farm.worker.registry-interval} it
 * writes its row (host, process, devices, precision, models, numerics verdict, current jobs,
 * counts, state) and reads back the operator's side: a {@code drain} hold stops the worker from
 * claiming (it finishes what it renders), a release lets it claim again and clears an automatic
 * quarantine. On the same beat it applies the {@link QuarantineRule}: when its failed jobs keep
 * succeeding on other workers it quarantines itself: its in-flight jobs are released without using
 * an attempt, it leaves the consumer group (its partitions go to the healthy workers), and it says
 * why in the registry, on {@code /health} and in {@code farm_worker_quarantined}. A registry that
 * cannot be reached is retried on the next beat; the worker keeps rendering meanwhile.
 */
public final class WorkerRegistration implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRegistration.class);

  /** What the registration asks of its worker. */
  public interface Control {
    /** Releases the in-flight jobs (no attempt used) and stops claiming. */
    void quarantine(String reason);

    /** Stops claiming once the jobs in flight are done (an operator's drain). */
    void hold(String reason);

    /** Claims again. */
    void resume();

    /** The jobs this worker holds leases on now. */
    List<UUID> currentJobs();
  }

  private final String id;
  private final RegistrySettings settings;
  private final WorkerRegistry registry;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final QuarantineRule rule;
  private final Supplier<List<String>> devices;
  private final String precision;
  private final Instant startedAt;
  private final Set<String> models = new ConcurrentSkipListSet<>();
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final ScheduledExecutorService thread;
  private Control control;
  private volatile String state = "starting";
  private volatile String stateReason;
  private volatile Boolean numericsPassed;
  private volatile String numericsSummary;
  private int releasesSeen = -1;
  private List<UUID> poisonLogged = List.of(); // logged once, not on every beat

  public WorkerRegistration(
      String id,
      String precision,
      RegistrySettings settings,
      WorkerRegistry registry,
      WorkerMetrics metrics,
      Clock clock,
      Supplier<List<String>> devices) {
    this.id = id;
    this.precision = precision;
    this.settings = settings;
    this.registry = registry;
    this.metrics = metrics;
    this.clock = clock;
    this.devices = devices;
    this.rule = new QuarantineRule(settings.quarantineFailures(), settings.quarantineWindow());
    this.startedAt = clock.instant();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "farm-worker-" + id + "-registry");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts the heartbeat (the first one at once). */
  public WorkerRegistration start(Control control) {
    this.control = control;
    long every = settings.interval().toMillis();
    thread.scheduleWithFixedDelay(this::beatQuietly, 0, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * The start-up numerics self-check ended; a failed one keeps the worker out ({@code refused}).
   */
  public void numericsChecked(boolean passed, String summary) {
    numericsPassed = passed;
    numericsSummary = summary;
    setState(passed ? "active" : "refused", passed ? null : summary);
    wake();
  }

  /** A model variant was loaded. */
  public void modelLoaded(String model) {
    models.add(model);
  }

  /** An attempt ended with a recorded success or failure. */
  public void attemptEnded(UUID job, String model, boolean ok) {
    (ok ? succeeded : failed).incrementAndGet();
    if (ok && model != null) {
      models.add(model);
    }
    rule.attemptEnded(job, ok, clock.instant());
    if (!ok && rule.worthChecking(clock.instant())) {
      wake();
    }
  }

  /** The consumer loop stopped (after a drain or quarantine). */
  public void loopEnded() {
    if ("draining".equals(state)) {
      setState("drained", stateReason);
      wake();
    }
  }

  public String state() {
    return state;
  }

  public String stateReason() {
    return stateReason;
  }

  private void setState(String s, String reason) {
    state = s;
    stateReason = reason;
    metrics.quarantined("quarantined".equals(s) ? reason : null);
  }

  private void wake() {
    if (!thread.isShutdown()) {
      try {
        thread.execute(this::beatQuietly);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  private void beatQuietly() {
    try {
      beat();
    } catch (RuntimeException e) {
      LOG.debug("worker {}: registry heartbeat failed: {}", id, e.toString());
    }
  }

  /** One beat: quarantine check, write, react to the operator. Runs on the registry thread. */
  synchronized void beat() {
    Instant now = clock.instant();
    if ("active".equals(state) && rule.worthChecking(now)) {
      List<UUID> suspects = rule.suspects(now);
      Map<UUID, WorkerRegistry.JobElsewhere> seen = registry.elsewhere(id, suspects);
      QuarantineRule.Verdict v = rule.evaluate(suspects, seen);
      if (!v.poisonSuspects().isEmpty() && !v.poisonSuspects().equals(poisonLogged)) {
        poisonLogged = List.copyOf(v.poisonSuspects());
        LOG.info(
            "worker {}: failed jobs {} also failed on other workers (poison suspects, not held"
                + " against this worker)",
            id,
            v.poisonSuspects());
      }
      if (v.quarantine()) {
        LOG.error("worker {} QUARANTINED: {}", id, v.reason());
        setState("quarantined", v.reason());
        metrics.quarantinedOnce();
        control.quarantine(v.reason());
      }
    }
    WorkerCommand cmd = registry.heartbeat(heartbeat());
    if (releasesSeen < 0) {
      releasesSeen = cmd.releaseRequests();
    } else if (cmd.releaseRequests() > releasesSeen) {
      releasesSeen = cmd.releaseRequests();
      if (!cmd.drain() && isOutOfService()) {
        LOG.info("worker {} released by an operator (was {}: {})", id, state, stateReason);
        rule.reset();
        setState("active", null);
        control.resume();
        registry.heartbeat(heartbeat());
        return;
      }
    }
    if (cmd.drain() && "active".equals(state)) {
      String reason = cmd.holdReason() == null ? "drained by an operator" : cmd.holdReason();
      LOG.info("worker {}: drain requested ({})", id, reason);
      setState("draining", reason);
      control.hold(reason);
      registry.heartbeat(heartbeat());
    }
  }

  private boolean isOutOfService() {
    return "quarantined".equals(state) || "drained".equals(state) || "draining".equals(state);
  }

  private WorkerHeartbeat heartbeat() {
    return new WorkerHeartbeat(
        id,
        host(),
        ProcessHandle.current().pid(),
        devices.get(),
        precision,
        List.copyOf(models),
        numericsPassed,
        numericsSummary,
        control == null ? List.of() : control.currentJobs(),
        succeeded.get(),
        failed.get(),
        rule.consecutiveFailures(),
        state,
        stateReason,
        startedAt);
  }

  private static String host() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** Stops the heartbeat and writes a last row with state {@code stopped}. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    setState("stopped", null);
    try {
      registry.heartbeat(heartbeat());
    } catch (RuntimeException e) {
      LOG.debug("worker {}: last registry write failed: {}", id, e.toString());
    }
  }
}
