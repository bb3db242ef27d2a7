package io.cascadefarm.worker.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.db.testing.InMemoryJobStore;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import io.cascadefarm.worker.testing.FakeObjectStore;
import io.cascadefarm.worker.testing.Fixtures;
import io.cascadefarm.worker.testing.PngRenderer;
import io.cascadefarm.worker.testing.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code farm.worker.render-timeout}: renders that never finish on their own (one that keeps
 * stepping until cancelled, one stuck that ignores cancellation) with a 300 ms limit. Nothing here
 * measures time: the slow renders would run forever without the timeout.
 */
class RenderTimeoutTest {
  private static final long SAFETY_SECONDS = 60; // only to end a broken test, never asserted
  private final ExecutorFixture fixture = new ExecutorFixture();
  private final InMemoryJobStore store = fixture.store;
  private final FakeObjectStore objects = fixture.objects;
  private final Recorder recorder = fixture.recorder;
  private final WorkerMetrics metrics = fixture.metrics;

  @AfterEach
  void stop() {
    fixture.close();
  }

  private BatchExecutor executor(Renderer renderer, String timeout) {
    return executor(renderer, timeout, "30s");
  }

  private BatchExecutor executor(Renderer renderer, String timeout, String lease) {
    return fixture.executor(
        renderer,
        "farm.worker.storage-retry",
        "10s",
        "farm.worker.heartbeat",
        "20ms",
        "farm.worker.lease",
        lease,
        "farm.worker.render-timeout",
        timeout);
  }

  private UUID job(String prompt, int maxAttempts) {
    return store.add(Fixtures.small(prompt, 32, 32), maxAttempts);
  }

  private JobMessage msg(UUID id) {
    return fixture.msg(id);
  }

  /** Steps (reporting progress) until the listener cancels: a render that never ends by itself. */
  static final class EndlessRenderer implements Renderer {
    volatile int calls;

    @Override
    public List<List<RenderedImage>> render(List<RenderTask> tasks, RenderListener listener) {
      calls++;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_SECONDS);
      for (int step = 1; System.nanoTime() < end; step++) {
        if (listener.isCancelled()) {
          throw new io.cascadefarm.common.port.RenderCancelledException("cancelled at " + step);
        }
        listener.onStep("prior", step, Integer.MAX_VALUE);
        sleepQuietly(5);
      }
      throw new AssertionError("the render timeout never stopped the render");
    }
  }

  @Test
  void aRenderPastTheTimeoutFailsRetryablyIsRetriedAndFailsForGoodAfterMaxAttempts() {
    UUID id = job("slow", 3);
    EndlessRenderer slow = new EndlessRenderer();
    BatchExecutor ex = executor(slow, "300ms");

    ex.handle(List.of(msg(id)));
    Job first = store.get(id);
    assertEquals(JobStatus.QUEUED, first.status());
    assertEquals(RenderTimeout.CODE, first.error().code());
    assertTrue(first.error().retryable());
    assertTrue(first.error().message().contains("farm.worker.render-timeout=PT0.3S"));

    fixture.afterBackoff();
    ex.handle(List.of(msg(id)));
    fixture.afterBackoff();
    ex.handle(List.of(msg(id)));
    Job last = store.get(id);
    assertEquals(JobStatus.FAILED, last.status());
    assertEquals(3, last.attempts());
    assertEquals(RenderTimeout.CODE, last.error().code());
    assertEquals(3, slow.calls);
    assertEquals(List.of(msg(id)), recorder.deadLetters);
    assertEquals(0, objects.puts());
    assertEquals(3.0, metrics.count("farm.worker.render.timeouts"));
    assertEquals(2.0, metrics.count("farm.worker.jobs.retried"));
    assertEquals(1.0, metrics.count("farm.worker.jobs.failed"));
    assertEquals(0, metrics.stuckRenders());
  }

  @Test
  void aTimedOutBatchFailsEveryJobOnceAndTheRetriesRenderAloneSoOnlyTheSlowJobKeepsFailing() {
    UUID slowJob = job("slow", 3);
    UUID fineJob = job("fine", 3);
    EndlessRenderer endless = new EndlessRenderer();
    PngRenderer png = new PngRenderer(2);
    List<Integer> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    Renderer slowIfAnySlow =
        (tasks, l) -> {
          calls.add(tasks.size());
          boolean slow = tasks.stream().anyMatch(t -> t.params().prompt().equals("slow"));
          return slow ? endless.render(tasks, l) : png.render(tasks, l);
        };
    BatchExecutor ex = executor(slowIfAnySlow, "300ms");

    ex.handle(List.of(msg(slowJob), msg(fineJob)));
    assertEquals(List.of(2), calls); // not split after the timeout
    for (UUID id : List.of(slowJob, fineJob)) {
      assertEquals(JobStatus.QUEUED, store.get(id).status());
      assertEquals(RenderTimeout.CODE, store.get(id).error().code());
    }
    assertEquals(2.0, metrics.count("farm.worker.render.timeouts"));

    fixture.afterBackoff();
    ex.handle(List.of(msg(slowJob), msg(fineJob)));
    assertEquals(List.of(2, 1, 1), calls); // the retries render alone
    assertEquals(JobStatus.QUEUED, store.get(slowJob).status());
    assertEquals(2, store.get(slowJob).attempts());
    assertEquals(JobStatus.SUCCEEDED, store.get(fineJob).status());
    assertEquals(2, store.get(fineJob).attempts());
    assertEquals(3.0, metrics.count("farm.worker.render.timeouts"));
  }

  @Test
  void aStuckRenderGivesTheJobBackAndItsLateResultsAreNeverUploaded() throws Exception {
    UUID id = job("stuck", 3);
    CountDownLatch unstick = new CountDownLatch(1);
    PngRenderer png = new PngRenderer(1);
    Renderer stuck =
        (tasks, listener) -> {
          awaitQuietly(unstick); // ignores cancellation, like a call blocked in native code
          return png.render(tasks, new RenderListener() {});
        };
    BatchExecutor ex = executor(stuck, "300ms");
    Thread renderThread = new Thread(() -> ex.handle(List.of(msg(id))));
    renderThread.start();

    awaitTimedOut(id); // failed by the watchdog while the render is still stuck
    assertEquals(JobStatus.QUEUED, store.get(id).status());
    assertEquals(1, metrics.stuckRenders());
    fixture.afterBackoff();
    store.claim(id, "w2", Duration.ofMinutes(1)); // another worker takes the retry

    unstick.countDown();
    renderThread.join(TimeUnit.SECONDS.toMillis(SAFETY_SECONDS));
    assertEquals(0, objects.puts());
    assertEquals(JobStatus.RUNNING, store.get(id).status()); // w2's attempt, untouched
    assertEquals(2, store.get(id).attempts());
    assertEquals(0, metrics.stuckRenders());
    assertEquals(1.0, metrics.count("farm.worker.render.timeouts"));
  }

  @Test
  void jobsWaitingBehindAStuckRenderAreReleasedOneLeaseAfterTheTimeout() throws Exception {
    UUID stuckJob = job("stuck", 3);
    UUID waiting = store.add(Fixtures.small("waiting", 48, 32), 3); // another batch key
    CountDownLatch unstick = new CountDownLatch(1);
    PngRenderer png = new PngRenderer(1);
    Renderer stuckFirst =
        (tasks, listener) -> {
          if (tasks.get(0).params().prompt().equals("stuck")) {
            awaitQuietly(unstick);
          }
          return png.render(tasks, new RenderListener() {});
        };
    BatchExecutor ex = executor(stuckFirst, "300ms", "500ms");
    Thread renderThread = new Thread(() -> ex.handle(List.of(msg(stuckJob), msg(waiting))));
    renderThread.start();

    awaitTimedOut(stuckJob);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_SECONDS);
    while (store.get(waiting).status() != JobStatus.QUEUED && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertEquals(JobStatus.QUEUED, store.get(waiting).status());
    assertEquals(0, store.get(waiting).attempts()); // released: no attempt used
    assertEquals(1.0, metrics.count("farm.worker.jobs.released"));

    unstick.countDown();
    renderThread.join(TimeUnit.SECONDS.toMillis(SAFETY_SECONDS));
    assertEquals(List.of(1), png.calls); // the waiting job was not rendered after all
    assertEquals(0, objects.puts());
    assertEquals(JobStatus.QUEUED, store.get(waiting).status());
  }

  @Test
  void aRenderWithinTheTimeoutIsUnaffected() {
    UUID id = job("quick", 3);
    executor(new PngRenderer(3), "1m").handle(List.of(msg(id)));

    assertEquals(JobStatus.SUCCEEDED, store.get(id).status());
    assertEquals(1, objects.puts());
    assertEquals(0.0, metrics.count("farm.worker.render.timeouts"));
    assertEquals(0, metrics.stuckRenders());
  }

  @Test
  void zeroTurnsTheTimeoutOff() {
    UUID id = job("quick", 3);
    fixture.watchdog.shutdownNow(); // a deadline would be refused by the stopped watchdog
    executor(new PngRenderer(3), "0").handle(List.of(msg(id)));

    assertEquals(JobStatus.SUCCEEDED, store.get(id).status());
    assertEquals(0.0, metrics.count("farm.worker.render.timeouts"));
  }

  private void awaitTimedOut(UUID id) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_SECONDS);
    while (!timedOut(store.get(id)) && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertTrue(timedOut(store.get(id)), "job failed with " + RenderTimeout.CODE);
  }

  private static boolean timedOut(Job j) {
    return j.error() != null && RenderTimeout.CODE.equals(j.error().code());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(SAFETY_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
