package io.cascadefarm.worker;

import static io.cascadefarm.worker.ItFarm.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.tools.numerics.MiscomputingKernels;
import io.cascadefarm.cascade.tools.numerics.NumericsSelfCheck;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.StageParams;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.worker.cascade.CascadeRenderer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker whose numerics self-check fails (the real check and renderer, with one convolution
 * kernel that miscomputes as the broken oneDNN kernels do) takes no job on the real services: it
 * reports the failure on {@code /health} and in its gauge, never joins the consumer group, and a
 * healthy worker started later renders every job on its first attempt.
 */
class NumericsGuardIntegrationTest {
  private static ItFarm farm;
  private static CascadeRenderer bad;
  private static CascadeRenderer good;

  @BeforeAll
  static void services() {
    farm = new ItFarm();
    Path checkpoints = Path.of("target", "no-checkpoints");
    Path tiny = Path.of("target", "tiny-models");
    bad =
        CascadeRenderer.open(checkpoints, tiny)
            .useSelfCheck(NumericsSelfCheck.standard().withKernels(new MiscomputingKernels()));
    good = CascadeRenderer.open(checkpoints, tiny);
  }

  @AfterAll
  static void close() throws Exception {
    bad.close();
    good.close();
    farm.close();
  }

  private static UUID submit(String prompt) {
    JobParams p =
        JobParams.builder()
            .kind(JobKind.TEXT_TO_IMAGE)
            .prompt(prompt)
            .size(128, 96)
            .seed(3L)
            .images(1)
            .model("tiny")
            .prior(new StageParams(3, null, null))
            .decoder(new StageParams(2, null, null))
            .build();
    UUID id = UUID.randomUUID();
    farm.store.submit(new NewJob(id, "t1", JobDefaults.resolve(p, () -> 1L), 3), null, null);
    return id;
  }

  @Test
  void aWorkerWithWrongNumbersTakesNoJobsAndAHealthyOneRendersThemAll() throws Exception {
    Worker badWorker = farm.worker("bad-kernels", bad);
    Worker goodWorker = null;
    try {
      await(
          "the bad worker's self-check to fail",
          Duration.ofSeconds(120),
          () -> badWorker.metrics().numericsFailure() != null);
      String problem = badWorker.metrics().healthProblem();
      assertNotNull(problem);
      assertTrue(problem.startsWith("numerics_selfcheck_failed: "), problem);
      assertTrue(problem.contains("conv2d 2x24x5x7->24"), problem);
      assertEquals(
          0.0,
          badWorker
              .metrics()
              .registry()
              .find("farm.worker.numerics.selfcheck")
              .tag("worker", "bad-kernels")
              .gauge()
              .value());

      List<UUID> ids = IntStream.range(0, 4).mapToObj(i -> submit("guarded " + i)).toList();
      Thread.sleep(3000); // long enough for a consuming worker to claim a tiny job
      for (UUID id : ids) {
        assertEquals(JobStatus.QUEUED, farm.job(id).status(), "claimed by the bad worker?");
      }

      goodWorker = farm.worker("good-kernels", good);
      await(
          "the healthy worker to render every job",
          Duration.ofSeconds(300),
          () ->
              ids.stream()
                  .allMatch(
                      id -> {
                        Job j = farm.job(id);
                        if (j.status() == JobStatus.FAILED) {
                          throw new AssertionError("job failed: " + j.error());
                        }
                        return j.status() == JobStatus.SUCCEEDED;
                      }));
      for (UUID id : ids) {
        Job j = farm.job(id);
        assertEquals("good-kernels", j.worker());
        assertEquals(1, j.attempts(), "no attempt was lost to the bad worker");
      }
      assertEquals(null, goodWorker.metrics().healthProblem());
    } finally {
      badWorker.close();
      if (goodWorker != null) {
        goodWorker.close();
      }
    }
  }
}
