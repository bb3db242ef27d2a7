package io.cascadefarm.worker.queue;

import io.cascadefarm.common.topic.JobMessage;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A GroupHandler that records groups, can block until released or aborted, and answers a script.
 */
final class ScriptedHandler implements GroupHandler {
  final BlockingQueue<List<JobMessage>> groups = new LinkedBlockingQueue<>();
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch aborted = new CountDownLatch(1);
  volatile boolean block;
  volatile boolean releasedAll;
  volatile Function<JobMessage, MessageOutcome> script = m -> MessageOutcome.SETTLED;

  @Override
  public List<MessageOutcome> handle(List<JobMessage> group) {
    groups.add(group);
    if (block) {
      try {
        while (release.getCount() > 0 && aborted.getCount() > 0) {
          release.await(10, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return group.stream().map(script).toList();
  }

  @Override
  public void abort() {
    aborted.countDown();
  }

  @Override
  public void releaseAll() {
    releasedAll = true;
  }
}
