package io.cascadefarm.worker.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.worker.testing.Fixtures;
import io.cascadefarm.worker.testing.PngRenderer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link Finisher} on its own thread: the first group's upload waits for the second group's
 * render to start, which can only happen if the executor returned before uploading. Finished
 * inline, the upload would wait out its 5 s and the second render would start after it.
 */
class FinisherOverlapTest {
  private final ExecutorFixture fixture = new ExecutorFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void theNextGroupRendersWhileThePreviousOneUploads() throws Exception {
    UUID first = fixture.store.add(Fixtures.small("first", 48, 32), 3);
    UUID second = fixture.store.add(Fixtures.small("second", 48, 32), 3);
    CountDownLatch secondRenderStarted = new CountDownLatch(1);
    AtomicBoolean uploadSawTheSecondRender = new AtomicBoolean();
    AtomicInteger puts = new AtomicInteger();
    fixture.objects.beforePut =
        () -> {
          if (puts.getAndIncrement() == 0) {
            try {
              uploadSawTheSecondRender.set(secondRenderStarted.await(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    PngRenderer png = new PngRenderer(1);
    try (Finisher finisher = Finisher.onOwnThread(Thread::new)) {
      BatchExecutor ex =
          fixture.executor(
              (List<RenderTask> tasks, io.cascadefarm.common.port.RenderListener l) -> {
                if (tasks.get(0).jobId().equals(second)) {
                  secondRenderStarted.countDown();
                }
                List<List<RenderedImage>> out = png.render(tasks, l);
                return out;
              },
              finisher);
      ex.handle(List.of(fixture.msg(first)));
      ex.handle(List.of(fixture.msg(second)));
      finisher.awaitPending();
    }
    assertTrue(uploadSawTheSecondRender.get(), "the second render overlapped the first upload");
    assertEquals(JobStatus.SUCCEEDED, fixture.store.get(first).status());
    assertEquals(JobStatus.SUCCEEDED, fixture.store.get(second).status());
  }
}
