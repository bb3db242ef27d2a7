package io.cascadefarm.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.topic.JobEventMessage;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {
  static JobEventMessage progress(UUID job, String stage, int step, int steps) {
    return new JobEventMessage(
        "progress",
        job,
        null,
        "t",
        JobStatus.RUNNING,
        new JobProgress(stage, step, steps),
        null,
        "w",
        Instant.now());
  }

  @Test
  void burstsAreThinnedButStageBoundariesAndOtherJobsPass() {
    ProgressThrottle t = new ProgressThrottle();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    assertTrue(t.admit(progress(a, "prior", 1, 20)));
    assertFalse(t.admit(progress(a, "prior", 2, 20)), "second event within 500 ms is dropped");
    assertTrue(t.admit(progress(b, "prior", 1, 20)), "other jobs are independent");
    assertTrue(t.admit(progress(a, "prior", 20, 20)), "the last step of a stage passes");
    assertTrue(t.admit(progress(a, "decoder", 1, 10)), "a new stage passes");
    assertFalse(t.admit(progress(a, "decoder", 2, 10)));
  }
}
