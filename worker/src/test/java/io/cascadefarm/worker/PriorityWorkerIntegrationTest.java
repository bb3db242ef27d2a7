package io.cascadefarm.worker;

import static io.cascadefarm.worker.ItFarm.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.worker.testing.Fixtures;
import io.cascadefarm.worker.testing.PngRenderer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One worker (one render slot, batch size 1) on the real embedded Kafka/PostgreSQL/S3 with 200
 * normal jobs queued: a high job submitted while the first of them renders is the next job the
 * worker renders, before every normal job still queued when it was submitted.
 */
class PriorityWorkerIntegrationTest {

  /** Records the prompts in render order; the first render waits for {@code release}. */
  private static final class GatedRenderer implements Renderer {
    final List<String> order = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final PngRenderer png = new PngRenderer(1);

    @Override
    public List<List<RenderedImage>> render(List<RenderTask> tasks, RenderListener l) {
      tasks.forEach(t -> order.add(t.params().prompt()));
      entered.countDown();
      try {
        release.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return png.render(tasks, l);
    }
  }

  /** Whether the outbox rows of {@code ids} were published (and so deleted) by the test relay. */
  private static boolean published(ItFarm farm, List<UUID> ids) {
    try (java.sql.Connection c = farm.db.dataSource().getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement("SELECT count(*) FROM outbox WHERE job_id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) == 0;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aHighJobStartsBeforeTheNormalJobsQueuedAheadOfIt() throws Exception {
    try (ItFarm farm = new ItFarm()) {
      List<UUID> normal = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        normal.add(farm.submit("normal " + i, 3));
      }
      await(
          "the normal jobs to be published",
          Duration.ofSeconds(120),
          () -> published(farm, normal));
      GatedRenderer renderer = new GatedRenderer();
      Worker worker = farm.worker("prio", renderer, "farm.worker.batch-size", "1");
      try {
        assertTrue(renderer.entered.await(120, TimeUnit.SECONDS), "the worker started a job");
        UUID high = UUID.randomUUID();
        farm.store.submit(
            new NewJob(
                high,
                "t1",
                JobDefaults.resolve(
                    Fixtures.small("the high job", 64, 48).toBuilder().priority("high").build(),
                    () -> 1L),
                3),
            null,
            null);
        await(
            "the high job to be published",
            Duration.ofSeconds(60),
            () -> published(farm, List.of(high)));
        // the high lane is fetched while the slot renders (50 ms polls): give it a few polls
        Thread.sleep(2000);
        long queuedAtSubmit =
            normal.stream().filter(id -> farm.job(id).status() == JobStatus.QUEUED).count();
        renderer.release.countDown();
        await(
            "the high job to succeed",
            Duration.ofSeconds(120),
            () -> farm.job(high).status() == JobStatus.SUCCEEDED);
        // one normal job rendering, one claimed ahead (claim-ahead, issue 17): the high job still
        // takes the next slot, before the one claimed ahead
        assertEquals(198, queuedAtSubmit, "one normal job rendering and one claimed ahead");
        assertEquals("the high job", renderer.order.get(1), "render order " + renderer.order);
      } finally {
        worker.close();
      }
    }
  }
}
