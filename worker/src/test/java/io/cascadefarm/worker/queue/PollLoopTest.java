package io.cascadefarm.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.worker.batch.BatchFormer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PollLoopTest {
  private static final String TOPIC = "farm.jobs";
  private static final String LANE = "farm.jobs.retry";
  private final TopicPartition p0 = new TopicPartition(TOPIC, 0);
  private final TopicPartition r0 = new TopicPartition(LANE, 0);
  private final RecordingConsumer consumer = new RecordingConsumer();
  private final ScriptedHandler handler = new ScriptedHandler();
  private final ExecutorService renderThread = Executors.newSingleThreadExecutor();
  private PollLoop loop;
  private Thread thread;

  @AfterEach
  void tearDown() throws InterruptedException {
    handler.release.countDown();
    if (loop != null) {
      loop.stop();
      loop.awaitFinished(Duration.ofSeconds(30));
    }
    renderThread.shutdownNow();
  }

  private void start(int batchSize, Duration drainTimeout, JobMessage... messages) {
    start(null, batchSize, drainTimeout, messages);
  }

  private void start(String lane, int batchSize, Duration drainTimeout, JobMessage... messages) {
    BatchFormer<JobRecord> former =
        new BatchFormer<>(
            batchSize,
            Duration.ofSeconds(3600).toNanos(),
            r -> r.message().batchKey(),
            System::nanoTime);
    loop =
        new PollLoop(
            consumer,
            TOPIC,
            lane,
            former,
            2 * batchSize,
            handler,
            renderThread,
            drainTimeout,
            Duration.ofSeconds(5));
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(lane == null ? List.of(p0) : List.of(p0, r0));
          consumer.updateBeginningOffsets(Map.of(p0, 0L, r0, 0L));
          for (int i = 0; i < messages.length; i++) {
            consumer.addRecord(
                new ConsumerRecord<>(
                    TOPIC,
                    0,
                    i,
                    messages[i].jobId().toString(),
                    JobMessageCodec.encode(messages[i])));
          }
        });
    thread = new Thread(loop, "poll-loop-test");
    thread.start();
  }

  private static JobMessage msg(String key) {
    return new JobMessage(UUID.randomUUID(), key);
  }

  private long committed() {
    return consumer.lastCommitted(p0);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not reached within 30 s");
      Thread.sleep(5);
    }
  }

  @Test
  void compatibleMessagesRenderTogetherWithPartitionsPausedAndCommitAfterwards()
      throws InterruptedException {
    handler.block = true;
    JobMessage a1 = msg("a");
    JobMessage b1 = msg("b");
    JobMessage a2 = msg("a");
    JobMessage b2 = msg("b");
    start(2, Duration.ofSeconds(30), a1, b1, a2, b2);

    List<JobMessage> first = handler.groups.poll(30, TimeUnit.SECONDS);
    assertEquals(List.of(a1, a2), first);
    await(() -> consumer.paused().contains(p0));
    assertEquals(-1, committed()); // nothing settled yet

    handler.release.countDown();
    List<JobMessage> second = handler.groups.poll(30, TimeUnit.SECONDS);
    assertEquals(List.of(b1, b2), second);
    await(() -> committed() == 4);
    await(() -> consumer.paused().isEmpty());
  }

  @Test
  void aRetryIsFetchedWhileAGroupRendersAndIsRenderedBeforeTheBacklog()
      throws InterruptedException {
    handler.block = true;
    JobMessage a1 = msg("a");
    JobMessage a2 = msg("a");
    JobMessage a3 = msg("a");
    start(LANE, 1, Duration.ofSeconds(30), a1, a2, a3);
    assertEquals(List.of(a1), handler.groups.poll(30, TimeUnit.SECONDS));
    await(() -> consumer.paused().contains(p0));
    assertFalse(consumer.paused().contains(r0), "the retry lane stays open during a render");

    JobMessage retry = new JobMessage(UUID.randomUUID(), "a", List.of("w-dead"));
    consumer.schedulePollTask(
        () ->
            consumer.addRecord(
                new ConsumerRecord<>(
                    LANE, 0, 0, retry.jobId().toString(), JobMessageCodec.encode(retry))));
    await(() -> consumer.position(r0) == 1); // fetched while a1 still renders
    handler.release.countDown();
    assertEquals(List.of(retry), handler.groups.poll(30, TimeUnit.SECONDS), "the retry first");
    assertEquals(List.of(a2), handler.groups.poll(30, TimeUnit.SECONDS));
    assertEquals(List.of(a3), handler.groups.poll(30, TimeUnit.SECONDS));
    await(() -> consumer.lastCommitted(r0) == 1 && committed() == 3);
  }

  @Test
  void aMessageLeftForLaterIsNotCommittedAndIsTriedAgain() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    handler.script =
        m -> calls.incrementAndGet() == 1 ? MessageOutcome.RETRY_LATER : MessageOutcome.SETTLED;
    start(1, Duration.ofSeconds(30), msg("a"));

    assertNotNull(handler.groups.poll(30, TimeUnit.SECONDS));
    assertNotNull(handler.groups.poll(30, TimeUnit.SECONDS));
    await(() -> committed() == 1);
    assertEquals(2, calls.get());
  }

  @Test
  void stopWaitsForTheGroupInFlightThenCommitsAndCloses() throws InterruptedException {
    handler.block = true;
    start(1, Duration.ofSeconds(60), msg("a"), msg("a"));
    assertNotNull(handler.groups.poll(30, TimeUnit.SECONDS));

    loop.stop();
    assertFalse(loop.awaitFinished(Duration.ofMillis(200)));
    handler.release.countDown();
    assertTrue(loop.awaitFinished(Duration.ofSeconds(30)));

    assertEquals(1, committed()); // the second message was never taken: it stays uncommitted
    assertTrue(handler.groups.isEmpty());
    assertTrue(consumer.closed());
  }

  @Test
  void pastTheDrainTimeoutTheRenderIsAborted() throws InterruptedException {
    handler.block = true;
    start(1, Duration.ofMillis(50), msg("a"));
    assertNotNull(handler.groups.poll(30, TimeUnit.SECONDS));

    loop.stop();
    assertTrue(loop.awaitFinished(Duration.ofSeconds(30)));
    assertEquals(0, handler.aborted.getCount());
    assertFalse(handler.releasedAll); // it stopped within the grace period
    assertEquals(1, committed());
  }
}
