package io.cascadefarm.worker.queue;

import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.worker.batch.BatchFormer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer thread. It polls all the time (so group membership never depends on render time),
 * forms groups of compatible messages, hands one group at a time to the render thread and keeps the
 * jobs topic's partitions paused while that group renders. Offsets are committed only up to the
 * first message that is not settled. {@link #stop()} starts the drain: no new groups, wait for the
 * group in flight up to the drain timeout, then abort it, commit and close the consumer.
 *
 * <p>Claim ahead: with a handler that {@link GroupHandler#preparesAhead prepares ahead}, the next
 * group is taken while one renders and prepared (claimed, inputs loaded) on the prepare thread, so
 * its render starts as soon as the current one ends. At most one group is ahead: the jobs topic is
 * fetched during a render until that group is taken, then paused. A group ahead is settled only by
 * its render (or, when the loop drains, by handing its jobs back), so its offsets are committed no
 * earlier than without claim-ahead. Lane order applies when the group ahead is taken, and a retry
 * or high group that becomes ready after that still takes the next free slot: the group ahead (of
 * the normal or low lane) stays claimed, its leases renewed, and renders after it.
 *
 * <p>With a retry lane (the retry topic, see {@code Topics.retries}) the consumer subscribes to
 * both topics. The lane's partitions stay unpaused while a group renders, so a re-queued job is
 * fetched at once, and its groups are handed out before any group of the jobs topic: a retried job
 * waits for at most the render in flight, not for the jobs topic's backlog.
 *
 * <p>With priority lanes (issue 12: {@code Topics.high()}, {@code Topics.low()}) groups are handed
 * out in the order retry lane, high lane, then the jobs topic and the low lane by {@link
 * LaneOrder}: a low job competes as if it had been published {@code lowAging} later than it was.
 * The high and low lanes, like the retry lane, stay unpaused while a group renders (up to {@code
 * maxPending} waiting messages each), so a high job is at hand when the render ends.
 */
public final class PollLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);

  private record Settled(JobRecord record, MessageOutcome outcome) {}

  /**
   * The next group, being prepared (or prepared) while another renders; {@code urgent}: of the
   * retry or high lane.
   */
  private record Ahead(
      List<JobRecord> group, CompletableFuture<GroupHandler.Prepared> prepared, boolean urgent) {}

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final String retryTopic;
  private final BatchFormer<JobRecord> former;
  private final BatchFormer<JobRecord> retries;
  private final String highTopic;
  private final String lowTopic;
  private final BatchFormer<JobRecord> high;
  private final BatchFormer<JobRecord> low;
  private final long lowAgingMillis;
  private final GroupHandler handler;
  private final ExecutorService renderThread;
  private final Duration drainTimeout;
  private final Duration abortGrace;
  private final int maxPending;
  private final OffsetBook book = new OffsetBook();
  private final ConcurrentLinkedQueue<Settled> settled = new ConcurrentLinkedQueue<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopping;
  private final ExecutorService prepareThread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "prepare");
            t.setDaemon(true);
            return t;
          });
  private Future<?> inFlight;
  private Ahead ahead;
  private CompletableFuture<?> aheadReleased = CompletableFuture.completedFuture(null);

  /** A loop on {@code topic} with the retry lane {@code retryTopic} (null: none). */
  public PollLoop(
      Consumer<String, byte[]> consumer,
      String topic,
      String retryTopic,
      BatchFormer<JobRecord> former,
      int maxPending,
      GroupHandler handler,
      ExecutorService renderThread,
      Duration drainTimeout,
      Duration abortGrace) {
    this(
        consumer,
        topic,
        retryTopic,
        null,
        null,
        Duration.ZERO,
        former,
        maxPending,
        handler,
        renderThread,
        drainTimeout,
        abortGrace);
  }

  /**
   * A loop with the priority lanes {@code highTopic} and {@code lowTopic} (null: none) and the low
   * lane's aging.
   */
  public PollLoop(
      Consumer<String, byte[]> consumer,
      String topic,
      String retryTopic,
      String highTopic,
      String lowTopic,
      Duration lowAging,
      BatchFormer<JobRecord> former,
      int maxPending,
      GroupHandler handler,
      ExecutorService renderThread,
      Duration drainTimeout,
      Duration abortGrace) {
    this.highTopic = highTopic;
    this.lowTopic = lowTopic;
    this.high = former.emptyCopy();
    this.low = former.emptyCopy();
    this.lowAgingMillis = lowAging.toMillis();
    this.consumer = consumer;
    this.topic = topic;
    this.retryTopic = retryTopic;
    this.former = former;
    this.retries = former.emptyCopy();
    this.maxPending = maxPending;
    this.handler = handler;
    this.renderThread = renderThread;
    this.drainTimeout = drainTimeout;
    this.abortGrace = abortGrace;
  }

  @Override
  public void run() {
    try {
      List<String> topics = new ArrayList<>();
      for (String t : new String[] {retryTopic, highTopic, topic, lowTopic}) {
        if (t != null) {
          topics.add(t);
        }
      }
      consumer.subscribe(topics, new Rebalance());
      while (!stopping) {
        try {
          step();
        } catch (KafkaException e) {
          LOG.warn("Kafka error in the poll loop (retrying in 1 s): {}", e.toString());
          pause(1000);
        }
      }
      drain();
    } catch (RuntimeException e) {
      LOG.error("worker poll loop died", e);
    } finally {
      prepareThread.shutdown();
      closeConsumer();
      finished.countDown();
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the drain; {@link #awaitFinished} waits for it. */
  public void stop() {
    stopping = true;
  }

  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void step() {
    pollOnce();
    collect();
    dispatchIfIdle();
    commit(null);
    adjustPause();
  }

  private void pollOnce() {
    for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      book.received(tp, r.offset());
      JobMessageCodec.decode(r.key(), r.value())
          .ifPresentOrElse(
              m -> formerOf(tp).add(new JobRecord(tp, r.offset(), m, r.timestamp())),
              () -> book.settled(tp, r.offset()));
    }
  }

  private BatchFormer<JobRecord> formerOf(TopicPartition tp) {
    if (isRetryLane(tp)) {
      return retries;
    }
    if (tp.topic().equals(highTopic)) {
      return high;
    }
    return tp.topic().equals(lowTopic) ? low : former;
  }

  /** Lanes fetched while a group renders: the retry lane and the priority lanes. */
  private boolean fetchedWhileRendering(TopicPartition tp) {
    return isRetryLane(tp) || tp.topic().equals(highTopic) || tp.topic().equals(lowTopic);
  }

  private boolean isRetryLane(TopicPartition tp) {
    return retryTopic != null && retryTopic.equals(tp.topic());
  }

  private void collect() {
    drainSettled();
    if (inFlight != null && inFlight.isDone()) {
      inFlight = null;
      drainSettled();
    }
  }

  private void drainSettled() {
    Set<TopicPartition> owned = consumer.assignment();
    for (Settled s; (s = settled.poll()) != null; ) {
      JobRecord r = s.record();
      if (s.outcome() == MessageOutcome.SETTLED) {
        book.settled(r.partition(), r.offset());
      } else if (owned.contains(r.partition()) && !stopping) {
        formerOf(r.partition()).add(r);
      }
    }
  }

  /**
   * Starts the render of the group ahead once the render thread is free, and takes the next group
   * ahead: when idle, or while a render runs if the handler prepares ahead.
   */
  private void dispatchIfIdle() {
    if (stopping) {
      return;
    }
    if (inFlight == null && ahead != null) {
      if (!ahead.urgent()) {
        List<JobRecord> urgent = retries.takeReady();
        if (urgent.isEmpty() && high.oldest() != null) {
          urgent = high.takeReady();
          if (urgent.isEmpty()) {
            return; // the high job waits batch-wait for companions; the slot stays free for it
          }
        }
        if (!urgent.isEmpty()) {
          // a retry or high group arrived after the group ahead was taken: it renders first, the
          // group ahead stays claimed (its leases renewed) and renders next
          List<JobRecord> g = urgent;
          inFlight = start(g).prepared().thenAcceptAsync(p -> renderPrepared(g, p), renderThread);
          return;
        }
      }
      Ahead a = ahead;
      ahead = null;
      inFlight = a.prepared().thenAcceptAsync(p -> renderPrepared(a.group(), p), renderThread);
    }
    if (ahead == null && (inFlight == null || handler.preparesAhead())) {
      List<JobRecord> group = nextGroup();
      if (!group.isEmpty()) {
        ahead = start(group);
      }
      if (inFlight == null && ahead != null) {
        dispatchIfIdle();
      }
    }
  }

  /** Starts preparing {@code group} on the prepare thread. */
  private Ahead start(List<JobRecord> group) {
    TopicPartition tp = group.get(0).partition();
    return new Ahead(
        group,
        CompletableFuture.supplyAsync(() -> prepare(group), prepareThread),
        isRetryLane(tp) || tp.topic().equals(highTopic));
  }

  /** The handler's preparation of {@code group}; a failed one leaves every message for later. */
  private GroupHandler.Prepared prepare(List<JobRecord> group) {
    List<JobMessage> messages = group.stream().map(JobRecord::message).toList();
    try {
      return handler.prepare(messages);
    } catch (RuntimeException | Error e) {
      LOG.error("preparing a group failed; the group's messages will be retried", e);
      List<MessageOutcome> later = Collections.nCopies(group.size(), MessageOutcome.RETRY_LATER);
      return new GroupHandler.Prepared() {
        @Override
        public List<MessageOutcome> render() {
          return later;
        }

        @Override
        public List<MessageOutcome> release() {
          return later;
        }
      };
    }
  }

  /** The next group by lane: retries, high, then normal or low by {@link LaneOrder}. */
  private List<JobRecord> nextGroup() {
    List<JobRecord> g = retries.takeReady();
    if (g.isEmpty() && high.oldest() != null) {
      // a waiting high job is not passed over by a ready normal or low group: it waits at most
      // batch-wait for companions, and the slot stays free for it meanwhile
      return high.takeReady();
    }
    if (g.isEmpty()) {
      JobRecord normalHead = former.oldest();
      JobRecord lowHead = low.oldest();
      boolean lowFirst =
          lowHead != null
              && (normalHead == null
                  || LaneOrder.lowFirst(
                      normalHead.timestamp(), lowHead.timestamp(), lowAgingMillis));
      g = lowFirst ? low.takeReady() : former.takeReady();
    }
    return g;
  }

  private void renderPrepared(List<JobRecord> group, GroupHandler.Prepared prepared) {
    List<MessageOutcome> outcomes;
    try {
      outcomes = prepared.render();
    } catch (RuntimeException | Error e) {
      LOG.error("group handler failed; the group's messages will be retried", e);
      outcomes = group.stream().map(r -> MessageOutcome.RETRY_LATER).toList();
    }
    settle(group, outcomes);
  }

  private void settle(List<JobRecord> group, List<MessageOutcome> outcomes) {
    for (int i = 0; i < group.size(); i++) {
      settled.add(new Settled(group.get(i), outcomes.get(i)));
    }
  }

  /** Draining: the group prepared ahead is handed back unrendered. */
  private void releaseAhead() {
    if (ahead == null) {
      return;
    }
    Ahead a = ahead;
    ahead = null;
    // once prepared (a claim stuck in storage retries ends at the abort): not on the poll thread
    aheadReleased =
        a.prepared()
            .handleAsync(
                (prepared, failure) -> {
                  List<MessageOutcome> outcomes;
                  try {
                    if (failure != null) {
                      throw new IllegalStateException("preparing the group failed", failure);
                    }
                    outcomes = prepared.release();
                  } catch (RuntimeException e) {
                    LOG.error("releasing the group prepared ahead failed; it will be retried", e);
                    outcomes = a.group().stream().map(r -> MessageOutcome.RETRY_LATER).toList();
                  }
                  settle(a.group(), outcomes);
                  return null;
                },
                prepareThread);
  }

  private void commit(Collection<TopicPartition> only) {
    Map<TopicPartition, OffsetAndMetadata> offsets = book.committable(only);
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets, COMMIT_TIMEOUT);
      book.committed(offsets);
    } catch (RuntimeException e) {
      LOG.warn("offset commit failed (will retry): {}", e.toString());
    }
  }

  /**
   * Jobs-topic partitions are paused while a group renders or enough messages wait; retry-lane
   * partitions only while enough retries wait. Everything is paused once the drain started.
   */
  private void adjustPause() {
    boolean busy = inFlight != null && (ahead != null || !handler.preparesAhead());
    boolean jobsPaused = busy || stopping || former.size() >= maxPending;
    List<TopicPartition> toPause = new ArrayList<>();
    List<TopicPartition> toResume = new ArrayList<>();
    Set<TopicPartition> paused = consumer.paused();
    for (TopicPartition tp : consumer.assignment()) {
      boolean want =
          fetchedWhileRendering(tp) ? stopping || formerOf(tp).size() >= maxPending : jobsPaused;
      if (want && !paused.contains(tp)) {
        toPause.add(tp);
      } else if (!want && paused.contains(tp)) {
        toResume.add(tp);
      }
    }
    if (!toPause.isEmpty()) {
      consumer.pause(toPause);
    }
    if (!toResume.isEmpty()) {
      consumer.resume(toResume);
    }
  }

  private void drain() throws RuntimeException {
    releaseAhead();
    waitForInFlight(drainTimeout);
    if (inFlight != null || !aheadReleased.isDone()) {
      LOG.warn("drain timeout {} reached with a render in flight: aborting it", drainTimeout);
      handler.abort();
      waitForInFlight(abortGrace);
    }
    if (inFlight != null) {
      LOG.warn("render did not stop within {}: releasing its jobs", abortGrace);
      handler.releaseAll();
    }
    commit(null);
  }

  private void waitForInFlight(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while ((inFlight != null || !aheadReleased.isDone()) && System.nanoTime() < deadline) {
      pollOnce();
      collect();
      commit(null);
      adjustPause();
    }
    collect();
  }

  private void closeConsumer() {
    try {
      consumer.close(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      LOG.warn("consumer close failed: {}", e.toString());
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      collect();
      commit(partitions);
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("assigned {}", partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      book.forget(partitions);
      former.removeIf(r -> partitions.contains(r.partition()));
      retries.removeIf(r -> partitions.contains(r.partition()));
      high.removeIf(r -> partitions.contains(r.partition()));
      low.removeIf(r -> partitions.contains(r.partition()));
    }
  }
}
