package io.cascadefarm.worker.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.common.topic.JobEventMessage;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.db.testing.InMemoryJobStore;
import io.cascadefarm.worker.fault.PoisonRenderer;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import io.cascadefarm.worker.queue.MessageOutcome;
import io.cascadefarm.worker.testing.FakeObjectStore;
import io.cascadefarm.worker.testing.Fixtures;
import io.cascadefarm.worker.testing.PngRenderer;
import io.cascadefarm.worker.testing.Recorder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchExecutorTest {
  private final ExecutorFixture fixture = new ExecutorFixture();
  private final InMemoryJobStore store = fixture.store;
  private final FakeObjectStore objects = fixture.objects;
  private final Recorder recorder = fixture.recorder;
  private final WorkerMetrics metrics = fixture.metrics;
  private final PngRenderer png = new PngRenderer(3);

  @AfterEach
  void stop() {
    fixture.close();
  }

  private BatchExecutor executor(Renderer renderer) {
    return fixture.executor(
        renderer, "farm.worker.storage-retry", "10s", "farm.worker.heartbeat", "1h");
  }

  private UUID job(String prompt, int maxAttempts) {
    return store.add(Fixtures.small(prompt, 48, 32), maxAttempts);
  }

  private JobMessage msg(UUID id) {
    return fixture.msg(id);
  }

  private List<JobMessage> msgs(List<UUID> ids) {
    return ids.stream().map(this::msg).toList();
  }

  @Test
  void rendersCompatibleJobsInOneCallAndUploadsUnderAttemptKeys() throws IOException {
    List<UUID> ids = List.of(job("a", 3), job("b", 3), job("c", 3));
    List<MessageOutcome> out = executor(png).handle(msgs(ids));

    assertEquals(
        List.of(MessageOutcome.SETTLED, MessageOutcome.SETTLED, MessageOutcome.SETTLED), out);
    assertEquals(List.of(3), png.calls);
    for (UUID id : ids) {
      Job j = store.get(id);
      assertEquals(JobStatus.SUCCEEDED, j.status());
      String key = "results/" + id + "/1/0.png";
      assertEquals(key, j.result().images().get(0).key());
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(objects.get(key).orElseThrow()));
      assertEquals(48, img.getWidth());
      assertEquals(32, img.getHeight());
    }
    assertEquals(3, objects.puts());
    assertEquals(3.0, metrics.count("farm.worker.jobs.rendered"));
    assertTrue(hasStatusEvent(ids.get(0), JobStatus.RUNNING));
    assertTrue(hasStatusEvent(ids.get(0), JobStatus.SUCCEEDED));
  }

  @Test
  void aRedeliveredMessageForAFinishedJobIsANoOp() {
    UUID id = job("a", 3);
    BatchExecutor ex = executor(png);
    ex.handle(List.of(msg(id)));
    List<MessageOutcome> again = ex.handle(List.of(msg(id)));

    assertEquals(List.of(MessageOutcome.SETTLED), again);
    assertEquals(List.of(1), png.calls);
    assertEquals(1, objects.puts());
    assertEquals(1, store.get(id).attempts());
    assertEquals(1.0, metrics.count("farm.worker.jobs.skipped"));
  }

  @Test
  void retryableFailuresBackOffExponentiallyThenFailForGoodAndDeadLetter() {
    UUID id = job("a", 3);
    BatchExecutor ex =
        executor(
            (tasks, l) -> {
              throw new RenderException("oom", "out of memory", true, null);
            });
    ex.handle(List.of(msg(id)));
    assertEquals(JobStatus.QUEUED, store.get(id).status());
    fixture.afterBackoff();
    ex.handle(List.of(msg(id)));
    fixture.afterBackoff();
    ex.handle(List.of(msg(id)));

    Job j = store.get(id);
    assertEquals(JobStatus.FAILED, j.status());
    assertEquals(3, j.attempts());
    assertEquals("oom", j.error().code());
    assertEquals(
        List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)),
        store.backoffs());
    assertEquals(List.of(new JobMessage(id, j.params().batchKey())), recorder.deadLetters);
    assertEquals(2.0, metrics.count("farm.worker.jobs.retried"));
    assertEquals(1.0, metrics.count("farm.worker.jobs.failed"));
  }

  /**
   * After a cancel and a retry that includes cancelled jobs, {@code attempts} starts again at 0, so
   * the new claim has the attempt number of the cancelled one. Result keys carry the lease epoch
   * instead, so a late upload of the cancelled claim cannot touch the keys the new result
   * references (issue 15, finding 11).
   */
  @Test
  void aLateUploadOfACancelledClaimCannotOverwriteTheRetriedResult() {
    UUID id = job("fenced", 3);
    byte[][] bytes = {{1}, {2}};
    int[] calls = {0};
    BatchExecutor ex =
        executor(
            (tasks, l) -> {
              int call = calls[0]++;
              if (call == 0) {
                store.cancel(id, "t1"); // the user cancels meanwhile
              }
              return List.of(List.of(new RenderedImage(bytes[call], 48, 32, 7)));
            });
    ex.handle(List.of(msg(id)));
    assertEquals(JobStatus.CANCELLED, store.get(id).status());
    long firstEpoch = store.get(id).epoch();
    assertEquals(1, store.retry(id, "t1", true));
    ex.handle(List.of(msg(id)));
    Job done = store.get(id);
    assertEquals(JobStatus.SUCCEEDED, done.status());
    assertEquals(1, done.attempts(), "the retry reset attempts: the attempt number is reused");
    String key = done.result().images().get(0).key();
    // the cancelled claim's worker wakes up late and uploads again under its own lease
    new ResultUploader(objects, new Retrier(Duration.ofSeconds(1), d -> {}, () -> {}, () -> false))
        .upload(id, firstEpoch, List.of(new RenderedImage(new byte[] {9}, 48, 32, 7)));
    assertArrayEquals(new byte[] {2}, objects.get(key).orElseThrow(), key);
  }

  @Test
  void aRetriedJobsSuccessDeletesItsEarlierAttemptsObjectsOnly() {
    UUID id = job("a", 3);
    UUID other = job("b", 3);
    // attempt 1 uploaded, then its worker died before completing (an orphan)
    objects.put("results/" + id + "/1/0.png", new byte[] {1}, "image/png");
    objects.put("results/" + other + "/1/0.png", new byte[] {2}, "image/png");
    int[] calls = {0};
    BatchExecutor ex =
        executor(
            (tasks, l) -> {
              if (calls[0]++ == 0) {
                throw new RenderException("oom", "out of memory", true, null);
              }
              return png.render(tasks, l);
            });
    ex.handle(List.of(msg(id)));
    assertTrue(objects.exists("results/" + id + "/1/0.png"), "kept while the job is unfinished");
    fixture.afterBackoff();
    ex.handle(List.of(msg(id)));

    assertEquals(JobStatus.SUCCEEDED, store.get(id).status());
    assertEquals(List.of("results/" + id + "/2/0.png"), objects.list("results/" + id + "/"));
    assertTrue(objects.exists("results/" + other + "/1/0.png"), "another job's objects stay");
    assertEquals(1.0, metrics.count("farm.worker.dead.attempt.objects.deleted"));
  }

  @Test
  void aMissingInputImageIsInvalidInputAndFailsAtOnce() {
    UUID id =
        store.add(Fixtures.params(JobKind.IMAGE_VARIATION, "x", 32, 32, "uploads/none.png"), 3);
    executor(png).handle(List.of(msg(id)));

    Job j = store.get(id);
    assertEquals(JobStatus.FAILED, j.status());
    assertEquals("invalid_input", j.error().code());
    assertFalse(j.error().retryable());
    assertEquals(1, recorder.deadLetters.size());
    assertTrue(png.calls.isEmpty());
  }

  @Test
  void inputImagesAreLoadedFromTheObjectStore() {
    objects.put("uploads/abc.png", new byte[] {1, 2, 3}, "image/png");
    UUID id = store.add(Fixtures.params(JobKind.IMAGE_TO_IMAGE, "x", 32, 32, "uploads/abc.png"), 3);
    List<RenderTask> seen = new ArrayList<>();
    executor(
            (tasks, l) -> {
              seen.addAll(tasks);
              return png.render(tasks, l);
            })
        .handle(List.of(msg(id)));

    assertEquals(3, seen.get(0).inputs().get("uploads/abc.png").length);
    assertEquals(JobStatus.SUCCEEDED, store.get(id).status());
  }

  @Test
  void aPoisonJobInABatchOnlyUsesUpItsOwnAttempts() {
    List<UUID> ids = List.of(job("a", 3), job("__poison__ b", 3), job("c", 3));
    executor(new PoisonRenderer(png)).handle(msgs(ids));

    assertEquals(JobStatus.SUCCEEDED, store.get(ids.get(0)).status());
    assertEquals(JobStatus.QUEUED, store.get(ids.get(1)).status());
    assertEquals("injected_fault", store.get(ids.get(1)).error().code());
    assertEquals(JobStatus.SUCCEEDED, store.get(ids.get(2)).status());
    assertEquals(List.of(1, 1), png.calls); // the batch of 3 failed before reaching png
  }

  @Test
  void aJobCancelledMidRenderIsDroppedAndTheOthersFinish() {
    List<UUID> ids = List.of(job("a", 3), job("b", 3));
    png.onStep(s -> store.cancel(ids.get(0), "t1"));
    executor(png).handle(msgs(ids));

    assertEquals(JobStatus.CANCELLED, store.get(ids.get(0)).status());
    assertTrue(objects.list("results/" + ids.get(0)).isEmpty());
    assertEquals(JobStatus.SUCCEEDED, store.get(ids.get(1)).status());
    assertEquals(1.0, metrics.count("farm.worker.jobs.cancelled"));
  }

  @Test
  void whenEveryJobIsCancelledTheRenderStops() {
    List<UUID> ids = List.of(job("a", 3), job("b", 3));
    List<Integer> stepsSeen = new ArrayList<>();
    png.onStep(
        s -> {
          stepsSeen.add(s);
          ids.forEach(id -> store.cancel(id, "t1"));
        });
    executor(png).handle(msgs(ids));

    assertEquals(List.of(1), stepsSeen);
    assertEquals(0, objects.puts());
    ids.forEach(id -> assertEquals(JobStatus.CANCELLED, store.get(id).status()));
  }

  @Test
  void aLostLeaseDiscardsTheResults() {
    List<UUID> ids = List.of(job("a", 3), job("b", 3));
    png.onStep(
        s -> {
          if (s == 1) {
            store.steal(ids.get(0));
          }
        });
    executor(png).handle(msgs(ids));

    assertTrue(objects.list("results/" + ids.get(0)).isEmpty());
    assertEquals(JobStatus.RUNNING, store.get(ids.get(0)).status());
    assertEquals(JobStatus.SUCCEEDED, store.get(ids.get(1)).status());
    assertEquals(1.0, metrics.count("farm.worker.lease.losses"));
  }

  @Test
  void aShortStorageOutageIsRetriedInPlace() {
    UUID id = job("a", 3);
    png.onStep(
        s -> {
          if (s == 3) {
            objects.failNextCalls(3);
          }
        });
    executor(png).handle(List.of(msg(id)));

    assertEquals(JobStatus.SUCCEEDED, store.get(id).status());
    assertEquals(1, objects.puts());
    assertEquals(1, store.get(id).attempts());
    assertTrue(metrics.count("farm.worker.storage.retries") >= 3);
  }

  @Test
  void aLongStorageOutageFailsTheAttemptRetryably() {
    UUID id = job("a", 3);
    png.onStep(
        s -> {
          if (s == 3) {
            objects.failNextCalls(1000);
          }
        });
    executor(png).handle(List.of(msg(id)));

    Job j = store.get(id);
    assertEquals(JobStatus.QUEUED, j.status());
    assertEquals("storage_error", j.error().code());
    assertTrue(j.error().retryable());
    assertEquals(0, j.attempts(), "an outage uses no attempt");
  }

  /** However long S3 stays away, its jobs wait: they are never failed for good by the outage. */
  @Test
  void anOutageLongerThanEveryAttemptNeverFailsTheJob() {
    UUID id = job("a", 2);
    objects.failNextCalls(1_000_000);
    for (int i = 0; i < 5; i++) {
      fixture.afterBackoff();
      executor(png).handle(List.of(msg(id)));
      assertEquals(JobStatus.QUEUED, store.get(id).status(), "after outage attempt " + (i + 1));
      assertEquals(0, store.get(id).attempts());
    }
    objects.failNextCalls(0);
    fixture.afterBackoff();
    executor(png).handle(List.of(msg(id)));
    assertEquals(JobStatus.SUCCEEDED, store.get(id).status());
  }

  @Test
  void anUnreachableStoreLeavesTheMessageForLater() {
    UUID id = job("a", 3);
    store.failNextCalls(1000);
    List<MessageOutcome> out = executor(png).handle(List.of(msg(id)));
    store.failNextCalls(0);

    assertEquals(List.of(MessageOutcome.RETRY_LATER), out);
    assertEquals(JobStatus.QUEUED, store.get(id).status());
    assertTrue(png.calls.isEmpty());
  }

  @Test
  void anAbortReleasesTheJobsWithoutUsingAnAttempt() {
    List<UUID> ids = List.of(job("a", 3), job("b", 3));
    BatchExecutor ex = executor(png);
    png.onStep(s -> ex.abort());
    ex.handle(msgs(ids));

    for (UUID id : ids) {
      assertEquals(JobStatus.QUEUED, store.get(id).status());
      assertEquals(0, store.get(id).attempts());
    }
    assertEquals(0, objects.puts());
    assertEquals(2.0, metrics.count("farm.worker.jobs.released"));
  }

  @Test
  void progressIsStoredAndPublished() {
    UUID id = job("a", 3);
    executor(png).handle(List.of(msg(id)));

    assertEquals(3, store.progressLog().size());
    JobEventMessage last =
        recorder.events.stream()
            .filter(e -> JobEventMessage.PROGRESS.equals(e.type()))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertNotNull(last.progress());
    assertEquals(3, last.progress().step());
    assertEquals("w1", last.worker());
  }

  private boolean hasStatusEvent(UUID id, JobStatus status) {
    return recorder.events.stream()
        .anyMatch(
            e ->
                e.jobId().equals(id)
                    && JobEventMessage.STATUS.equals(e.type())
                    && e.status() == status);
  }

  @Test
  void livePreviewsOverwriteOneObjectPerJobAndAreAnnouncedOnlyForActiveJobs() {
    UUID a = job("a", 3);
    UUID b = job("b", 3);
    executor(
            (tasks, l) -> {
              assertTrue(l.wantsPreview(0));
              l.onPreview(
                  0, 1, 3, new io.cascadefarm.common.port.PreviewImage(new byte[] {7}, 8, 8));
              l.onPreview(
                  0, 2, 3, new io.cascadefarm.common.port.PreviewImage(new byte[] {8}, 8, 8));
              store.cancel(b, "t1");
              assertTrue(l.wantsPreview(0));
              l.isCancelled(); // reads the cancellation
              assertFalse(l.wantsPreview(1), "a cancelled job wants no preview");
              l.onPreview(
                  1, 2, 3, new io.cascadefarm.common.port.PreviewImage(new byte[] {9}, 8, 8));
              assertFalse(l.wantsPreview(5), "no such task");
              return png.render(tasks, l);
            })
        .handle(msgs(List.of(a, b)));
    String key = io.cascadefarm.common.job.LivePreview.key(a);
    assertArrayEquals(new byte[] {8}, objects.get(key).orElseThrow(), "the latest preview");
    assertFalse(objects.exists(io.cascadefarm.common.job.LivePreview.key(b)));
    List<io.cascadefarm.common.topic.JobEventMessage> previews =
        recorder.events.stream()
            .filter(e -> io.cascadefarm.common.topic.JobEventMessage.PREVIEW.equals(e.type()))
            .toList();
    assertEquals(2, previews.size(), previews::toString);
    for (int i = 0; i < 2; i++) {
      var e = previews.get(i);
      assertEquals(a, e.jobId());
      assertEquals(JobStatus.RUNNING, e.status());
      assertEquals(i + 1, e.preview().step());
      assertEquals(3, e.preview().steps());
      assertEquals(key, e.preview().key());
      assertEquals(8, e.preview().width());
      assertEquals(null, e.preview().url(), "the dispatcher makes the URL");
    }
    assertEquals(JobStatus.SUCCEEDED, store.get(a).status());
    assertTrue(objects.exists(key), "the preview stays after success");
  }

  @Test
  void theDeadAttemptSweepKeepsTheLivePreview() {
    UUID id = job("a", 3);
    String preview = io.cascadefarm.common.job.LivePreview.key(id);
    objects.put(preview, new byte[] {5}, "image/png");
    objects.put("results/" + id + "/1/0.png", new byte[] {1}, "image/png");
    new DeadAttemptSweeper(objects, metrics).sweep(id, 2);
    assertTrue(objects.exists(preview));
    assertFalse(objects.exists("results/" + id + "/1/0.png"));
  }
}
