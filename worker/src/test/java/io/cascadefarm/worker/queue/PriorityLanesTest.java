package io.cascadefarm.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.worker.batch.BatchFormer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's lanes with one render slot: a high job published while 200 normal jobs wait is the
 * next group rendered, and a low job runs before the normal jobs published more than {@code
 * farm.worker.low-aging} after it (the aging rule), whatever their number.
 */
class PriorityLanesTest {
  private static final String JOBS = "farm.jobs";
  private final TopicPartition p0 = new TopicPartition(JOBS, 0);
  private final TopicPartition h0 = new TopicPartition(JOBS + ".high", 0);
  private final TopicPartition l0 = new TopicPartition(JOBS + ".low", 0);
  private final RecordingConsumer consumer = new RecordingConsumer();
  private final ScriptedHandler handler = new ScriptedHandler();
  private final ExecutorService renderThread = Executors.newSingleThreadExecutor();
  private PollLoop loop;

  @AfterEach
  void tearDown() throws InterruptedException {
    handler.release.countDown();
    if (loop != null) {
      loop.stop();
      loop.awaitFinished(Duration.ofSeconds(30));
    }
    renderThread.shutdownNow();
  }

  private void start(Duration lowAging, List<ConsumerRecord<String, byte[]>> records) {
    BatchFormer<JobRecord> former =
        new BatchFormer<>(
            1, Duration.ofHours(1).toNanos(), r -> r.message().batchKey(), System::nanoTime);
    loop =
        new PollLoop(
            consumer,
            JOBS,
            null,
            h0.topic(),
            l0.topic(),
            lowAging,
            former,
            1000,
            handler,
            renderThread,
            Duration.ofSeconds(30),
            Duration.ofSeconds(5));
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(p0, h0, l0));
          consumer.updateBeginningOffsets(Map.of(p0, 0L, h0, 0L, l0, 0L));
          records.forEach(consumer::addRecord);
        });
    new Thread(loop, "priority-lanes-test").start();
  }

  private static ConsumerRecord<String, byte[]> record(
      TopicPartition tp, long offset, long timestamp, JobMessage m) {
    return new ConsumerRecord<>(
        tp.topic(),
        tp.partition(),
        offset,
        timestamp,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        m.jobId().toString(),
        JobMessageCodec.encode(m),
        new RecordHeaders(),
        Optional.empty());
  }

  private static JobMessage msg(String priority) {
    return new JobMessage(UUID.randomUUID(), "tiny/256x256", List.of(), priority);
  }

  private List<JobMessage> nextGroup() throws InterruptedException {
    List<JobMessage> g = handler.groups.poll(30, TimeUnit.SECONDS);
    assertTrue(g != null, "no group rendered within 30 s");
    return g;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not reached within 30 s");
      Thread.sleep(5);
    }
  }

  @Test
  void aHighJobPublishedBehind200QueuedNormalJobsIsRenderedNext() throws InterruptedException {
    long now = System.currentTimeMillis();
    List<JobMessage> normal = new ArrayList<>();
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      normal.add(msg(null));
      records.add(record(p0, i, now + i, normal.get(i)));
    }
    handler.block = true;
    start(Duration.ofMinutes(5), records);
    assertEquals(List.of(normal.get(0)), nextGroup(), "the slot is busy with a normal job");

    JobMessage high = msg("high");
    consumer.schedulePollTask(() -> consumer.addRecord(record(h0, 0, now + 500, high)));
    await(() -> consumer.position(h0) == 1); // the loop fetched it (the high lane is not paused)
    handler.block = false;
    handler.release.countDown();

    assertEquals(List.of(high), nextGroup(), "the high job takes the next free slot");
    for (int i = 1; i < 200; i++) {
      assertEquals(List.of(normal.get(i)), nextGroup(), "then the normal jobs in order");
    }
  }

  @Test
  void aLowJobRunsBeforeNormalJobsPublishedMoreThanTheAgingAfterIt() throws InterruptedException {
    long t0 = System.currentTimeMillis() - 100_000;
    List<JobMessage> normal = new ArrayList<>();
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      normal.add(msg("normal"));
      records.add(record(p0, i, t0 + i * 100L, normal.get(i)));
    }
    JobMessage low = msg("low");
    records.add(record(l0, 0, t0 + 500, low));
    start(Duration.ofSeconds(1), records);
    List<JobMessage> order = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      order.addAll(nextGroup());
    }
    // aged time t0 + 1500: after the normal jobs at t0 .. t0 + 1500 (ties go to normal)
    assertEquals(16, order.indexOf(low), "low job position");
    assertEquals(normal.subList(0, 16), order.subList(0, 16));
    assertEquals(normal.subList(16, 50), order.subList(17, 51));
  }
}
