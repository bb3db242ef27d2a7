package io.cascadefarm.worker.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.worker.batch.BatchFormer;
import io.cascadefarm.worker.queue.JobMessageCodec;
import io.cascadefarm.worker.queue.JobRecord;
import io.cascadefarm.worker.queue.PollLoop;
import io.cascadefarm.worker.testing.Fixtures;
import io.cascadefarm.worker.testing.PngRenderer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Claim ahead (issue 17): the poll loop, over a real {@link BatchExecutor}, claims and prepares the
 * next group while one renders, never more than one group ahead, and commits a group's offset only
 * once that group rendered. A renderer port with latches holds each render open.
 */
class ClaimAheadTest {
  private static final String TOPIC = "farm.jobs";
  private static final String HIGH = "farm.jobs.high";
  private final TopicPartition p0 = new TopicPartition(TOPIC, 0);
  private final TopicPartition h0 = new TopicPartition(HIGH, 0);
  private final ExecutorFixture fixture = new ExecutorFixture();
  private final Commits consumer = new Commits();
  private final ExecutorService renderThread = Executors.newSingleThreadExecutor();
  private final Finisher finisher = Finisher.onOwnThread(Thread::new);
  private final Map<UUID, CountDownLatch> started = new ConcurrentHashMap<>();
  private final Map<UUID, CountDownLatch> release = new ConcurrentHashMap<>();
  private final List<UUID> rendered = new CopyOnWriteArrayList<>();
  private final PngRenderer png = new PngRenderer(1);
  private PollLoop loop;

  /** A MockConsumer that remembers the last committed offset per partition. */
  private static final class Commits extends MockConsumer<String, byte[]> {
    final Map<TopicPartition, Long> last = new ConcurrentHashMap<>();

    Commits() {
      super("earliest");
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
      super.commitSync(offsets, timeout);
      offsets.forEach((tp, om) -> last.put(tp, om.offset()));
    }
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    release.values().forEach(CountDownLatch::countDown);
    if (loop != null) {
      loop.stop();
      loop.awaitFinished(Duration.ofSeconds(30));
    }
    renderThread.shutdownNow();
    finisher.close();
    fixture.close();
  }

  private List<RenderedImage> renderHeld(RenderTask t, RenderListener l) {
    UUID id = t.jobId();
    rendered.add(id);
    started.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
    try {
      release.computeIfAbsent(id, k -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return png.render(List.of(t), l).get(0);
  }

  private UUID job(String prompt) {
    UUID id = fixture.store.add(Fixtures.small(prompt, 48, 32), 3);
    release.put(id, new CountDownLatch(1));
    started.put(id, new CountDownLatch(1));
    return id;
  }

  /** Starts the loop (groups of one job) on the messages of {@code jobs}, in order. */
  private void start(UUID... jobs) {
    BatchExecutor executor =
        fixture.executor(
            (tasks, l) -> tasks.stream().map(t -> renderHeld(t, l)).toList(),
            finisher,
            "farm.worker.heartbeat",
            "20ms");
    assertTrue(executor.preparesAhead());
    BatchFormer<JobRecord> former =
        new BatchFormer<>(1, Duration.ofHours(1).toNanos(), r -> "all", System::nanoTime);
    loop =
        new PollLoop(
            consumer,
            TOPIC,
            null,
            HIGH,
            null,
            Duration.ZERO,
            former,
            2,
            executor,
            renderThread,
            Duration.ofMillis(200),
            Duration.ofSeconds(1));
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(p0, h0));
          consumer.updateBeginningOffsets(Map.of(p0, 0L, h0, 0L));
          for (int i = 0; i < jobs.length; i++) {
            JobMessage m = fixture.msg(jobs[i]);
            consumer.addRecord(
                new ConsumerRecord<>(TOPIC, 0, i, m.jobId().toString(), JobMessageCodec.encode(m)));
          }
        });
    new Thread(loop, "claim-ahead-test").start();
  }

  private long committed() {
    return consumer.last.getOrDefault(p0, -1L);
  }

  private JobStatus status(UUID id) {
    return fixture.store.get(id).status();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not reached within 30 s");
      Thread.sleep(5);
    }
  }

  @Test
  void theNextGroupIsClaimedWhileOneRendersAndOnlyOneGroupIsAhead() throws Exception {
    UUID a = job("a");
    UUID b = job("b");
    UUID c = job("c");
    start(a, b, c);

    assertTrue(started.get(a).await(30, TimeUnit.SECONDS));
    await(() -> status(b) == JobStatus.RUNNING); // claimed while a's render is held open
    assertEquals(List.of(a), rendered, "b is claimed, not rendering");
    Thread.sleep(300); // several poll rounds: the loop must not take a third group
    assertEquals(JobStatus.QUEUED, status(c), "at most one group ahead");
    assertEquals(-1, committed(), "nothing is committed while a renders and b waits");

    release.get(a).countDown();
    assertTrue(started.get(b).await(30, TimeUnit.SECONDS));
    await(() -> status(c) == JobStatus.RUNNING); // c is now the group ahead of b
    await(() -> status(a) == JobStatus.SUCCEEDED && committed() == 1);

    release.get(b).countDown();
    release.get(c).countDown();
    await(() -> status(b) == JobStatus.SUCCEEDED && status(c) == JobStatus.SUCCEEDED);
    await(() -> committed() == 3);
    assertEquals(List.of(a, b, c), rendered);
  }

  @Test
  void aHighJobArrivingAfterTheGroupAheadStillTakesTheNextSlot() throws Exception {
    UUID a = job("a");
    UUID b = job("b");
    UUID high = job("high");
    start(a, b);
    assertTrue(started.get(a).await(30, TimeUnit.SECONDS));
    await(() -> status(b) == JobStatus.RUNNING); // b is the group ahead

    JobMessage m = fixture.msg(high);
    consumer.schedulePollTask(
        () ->
            consumer.addRecord(
                new ConsumerRecord<>(HIGH, 0, 0, m.jobId().toString(), JobMessageCodec.encode(m))));
    await(() -> consumer.position(h0) == 1); // fetched while a renders
    release.get(a).countDown();
    assertTrue(started.get(high).await(30, TimeUnit.SECONDS), "the high job renders next");
    assertEquals(List.of(a, high), rendered, "before b, which stays claimed");
    assertEquals(JobStatus.RUNNING, status(b));

    release.get(high).countDown();
    release.get(b).countDown();
    await(() -> status(b) == JobStatus.SUCCEEDED && status(high) == JobStatus.SUCCEEDED);
    assertEquals(List.of(a, high, b), rendered);
    await(() -> committed() == 2 && consumer.last.getOrDefault(h0, -1L) == 1);
  }

  @Test
  void aJobWhoseLeaseIsLostWhileAheadIsNotRendered() throws Exception {
    UUID a = job("a");
    UUID b = job("b");
    start(a, b);
    assertTrue(started.get(a).await(30, TimeUnit.SECONDS));
    await(() -> status(b) == JobStatus.RUNNING);

    fixture.store.steal(b); // its lease expired and another worker claimed it
    await(() -> fixture.metrics.count("farm.worker.lease.losses") == 1.0);
    release.get(a).countDown();

    await(() -> status(a) == JobStatus.SUCCEEDED && committed() == 2);
    assertEquals(List.of(a), rendered, "b belongs to the other worker now");
    assertEquals(JobStatus.RUNNING, status(b));
    assertEquals("another-worker", fixture.store.get(b).worker());
  }

  @Test
  void aDrainingWorkerHandsTheGroupAheadBackWithoutUsingAnAttempt() throws Exception {
    UUID a = job("a");
    UUID b = job("b");
    start(a, b);
    assertTrue(started.get(a).await(30, TimeUnit.SECONDS));
    await(() -> status(b) == JobStatus.RUNNING);

    loop.stop();
    await(() -> status(b) == JobStatus.QUEUED); // released at once, while a still renders
    assertEquals(0, fixture.store.get(b).attempts(), "the release gave the attempt back");
    assertTrue(fixture.store.releases.contains(b));
    release.get(a).countDown();
    assertTrue(loop.awaitFinished(Duration.ofSeconds(30)));
    finisher
        .awaitPending(); // a's completion runs on the finisher thread (the Worker closes it last)
    assertEquals(JobStatus.SUCCEEDED, status(a));
    assertEquals(List.of(a), rendered);
    assertEquals(2, committed(), "b's message is settled: the release queued b again");
  }

  @Test
  void aCrashWithAGroupAheadLosesNoJob() throws Exception {
    UUID a = job("a");
    UUID b = job("b");
    start(a, b);
    assertTrue(started.get(a).await(30, TimeUnit.SECONDS));
    await(() -> status(b) == JobStatus.RUNNING);
    release.get(a).countDown();
    assertTrue(started.get(b).await(30, TimeUnit.SECONDS));
    await(() -> status(a) == JobStatus.SUCCEEDED && committed() == 1);

    // the worker dies here, b half rendered: b's message is not committed (the next consumer of
    // the partition gets it again), and once b's lease runs out (no more heartbeats) the reaper
    // queues b again
    assertEquals(1, committed());
    Instant afterTheLease = fixture.clock.instant().plus(Duration.ofMinutes(5));
    assertEquals(List.of(b), fixture.store.reapExpiredLeases(afterTheLease, 10));
    assertEquals(JobStatus.QUEUED, status(b));
  }
}
