package io.cascadefarm.worker.render;

import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.db.testing.InMemoryJobStore;
import io.cascadefarm.db.testing.ManualClock;
import io.cascadefarm.worker.WorkerPorts;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import io.cascadefarm.worker.testing.FakeObjectStore;
import io.cascadefarm.worker.testing.Fixtures;
import io.cascadefarm.worker.testing.Recorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The fakes of the ports, the heartbeat and watchdog threads and the metrics a {@link
 * BatchExecutor} test runs on; {@link #close()} stops the threads.
 */
final class ExecutorFixture implements AutoCloseable {
  /** The store's clock: tests move it past a retry's backoff. */
  final ManualClock clock = ManualClock.atNow();

  final InMemoryJobStore store = new InMemoryJobStore(clock, Duration.ZERO);
  final FakeObjectStore objects = new FakeObjectStore();
  final Recorder recorder = new Recorder();
  final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
  final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
  final WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry(), "w1");

  /**
   * An executor rendering with {@code renderer}, worker config from {@code configKeyValues}, no
   * pacing, no sleeping between storage retries and a fixed backoff (2 s doubling to 60 s).
   */
  BatchExecutor executor(Renderer renderer, String... configKeyValues) {
    return executor(renderer, Finisher.direct(), configKeyValues);
  }

  /** Like {@link #executor(Renderer, String...)}, finishing groups with {@code finisher}. */
  BatchExecutor executor(Renderer renderer, Finisher finisher, String... configKeyValues) {
    return executor(store, renderer, finisher, configKeyValues);
  }

  /**
   * Like {@link #executor(Renderer, Finisher, String...)}, on {@code jobs} (e.g. a counting view).
   */
  BatchExecutor executor(
      JobStore jobs, Renderer renderer, Finisher finisher, String... configKeyValues) {
    return new BatchExecutor(
        Fixtures.config(configKeyValues),
        new WorkerPorts(jobs, objects, recorder, recorder),
        GroupRender.with(new GroupRender.Pacing(Duration.ZERO, Duration.ZERO), renderer, jobs),
        heartbeats,
        watchdog,
        metrics,
        Clock.systemUTC(),
        d -> {},
        new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(60), () -> 1.0),
        finisher);
  }

  /** Moves the store's clock past every backoff a test's retries wait for. */
  void afterBackoff() {
    clock.advance(Duration.ofMinutes(10));
  }

  /** The queue message of stored job {@code id}. */
  JobMessage msg(UUID id) {
    return new JobMessage(id, store.get(id).params().batchKey());
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    watchdog.shutdownNow();
  }
}
