package io.cascadefarm.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class JobStateMachineTest {

  @Test
  void happyPathQueuedRunningSucceeded() {
    JobStatus s = JobStateMachine.require(JobStatus.QUEUED, JobEvent.CLAIM);
    assertEquals(JobStatus.RUNNING, s);
    assertEquals(JobStatus.SUCCEEDED, JobStateMachine.require(s, JobEvent.SUCCEED));
  }

  @Test
  void retryOnlyFromFailedOrCancelled() {
    assertEquals(
        EnumSet.of(JobStatus.FAILED, JobStatus.CANCELLED),
        JobStateMachine.sourcesOf(JobEvent.RETRY));
    assertThrows(
        IllegalTransitionException.class,
        () -> JobStateMachine.require(JobStatus.SUCCEEDED, JobEvent.RETRY));
  }

  @Test
  void terminalStatesOnlyLeaveThroughRetry() {
    for (JobStateMachine.Transition t : JobStateMachine.transitions()) {
      if (t.from().isTerminal()) {
        assertEquals(JobEvent.RETRY, t.event(), t.toString());
      }
    }
  }

  @Test
  void everyEventHasOneTarget() {
    for (JobEvent e : JobEvent.values()) {
      long targets =
          JobStateMachine.transitions().stream()
              .filter(t -> t.event() == e)
              .map(JobStateMachine.Transition::to)
              .distinct()
              .count();
      assertEquals(1, targets, e.name());
    }
  }

  @Test
  void cannotCancelFinishedJob() {
    assertTrue(JobStateMachine.next(JobStatus.SUCCEEDED, JobEvent.CANCEL).isEmpty());
    IllegalTransitionException ex =
        assertThrows(
            IllegalTransitionException.class,
            () -> JobStateMachine.require(JobStatus.FAILED, JobEvent.CANCEL));
    assertTrue(ex.getMessage().contains("failed"));
  }
}
