package io.cascadefarm.common.job;

import static io.cascadefarm.common.job.JobStatus.CANCELLED;
import static io.cascadefarm.common.job.JobStatus.FAILED;
import static io.cascadefarm.common.job.JobStatus.QUEUED;
import static io.cascadefarm.common.job.JobStatus.RUNNING;
import static io.cascadefarm.common.job.JobStatus.SUCCEEDED;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The job lifecycle as an explicit table of allowed transitions. This is the only place that
 * defines which moves exist; the job store turns each row into a conditional update ({@code WHERE
 * status IN (sources) AND epoch = ?}).
 *
 * <pre>
 *   queued  --CLAIM-->          running
 *   running --SUCCEED-->        succeeded
 *   running --FAIL-->           failed
 *   running --REQUEUE-->        queued     (retryable failure, backoff)
 *   running --RELEASE-->        queued     (worker draining)
 *   running --LEASE_EXPIRED-->  queued     (reaper)
 *   queued  --CANCEL-->         cancelled
 *   running --CANCEL-->         cancelled  (honoured between denoising steps)
 *   failed  --RETRY-->          queued
 *   cancelled --RETRY-->        queued
 * </pre>
 */
public final class JobStateMachine {

  /** One allowed move. */
  public record Transition(JobStatus from, JobEvent event, JobStatus to) {}

  private static final List<Transition> TABLE =
      List.of(
          new Transition(QUEUED, JobEvent.CLAIM, RUNNING),
          new Transition(RUNNING, JobEvent.SUCCEED, SUCCEEDED),
          new Transition(RUNNING, JobEvent.FAIL, FAILED),
          new Transition(RUNNING, JobEvent.REQUEUE, QUEUED),
          new Transition(RUNNING, JobEvent.RELEASE, QUEUED),
          new Transition(RUNNING, JobEvent.LEASE_EXPIRED, QUEUED),
          new Transition(QUEUED, JobEvent.CANCEL, CANCELLED),
          new Transition(RUNNING, JobEvent.CANCEL, CANCELLED),
          new Transition(FAILED, JobEvent.RETRY, QUEUED),
          new Transition(CANCELLED, JobEvent.RETRY, QUEUED));

  private static final Map<JobEvent, Map<JobStatus, JobStatus>> BY_EVENT = index();

  private JobStateMachine() {}

  /** Every allowed transition, in table order. */
  public static List<Transition> transitions() {
    return TABLE;
  }

  /** The state {@code event} leads to from {@code from}, if that move is allowed. */
  public static Optional<JobStatus> next(JobStatus from, JobEvent event) {
    return Optional.ofNullable(BY_EVENT.get(event).get(from));
  }

  /** Like {@link #next} but throws {@link IllegalTransitionException} for a forbidden move. */
  public static JobStatus require(JobStatus from, JobEvent event) {
    return next(from, event).orElseThrow(() -> new IllegalTransitionException(from, event));
  }

  /** The states from which {@code event} is allowed (for the store's conditional update). */
  public static Set<JobStatus> sourcesOf(JobEvent event) {
    return Collections.unmodifiableSet(EnumSet.copyOf(BY_EVENT.get(event).keySet()));
  }

  /** The single target state of {@code event} (every event in the table has exactly one). */
  public static JobStatus targetOf(JobEvent event) {
    return BY_EVENT.get(event).values().iterator().next();
  }

  private static Map<JobEvent, Map<JobStatus, JobStatus>> index() {
    Map<JobEvent, Map<JobStatus, JobStatus>> map = new EnumMap<>(JobEvent.class);
    for (JobEvent e : JobEvent.values()) {
      map.put(e, new EnumMap<>(JobStatus.class));
    }
    for (Transition t : TABLE) {
      map.get(t.event()).put(t.from(), t.to());
    }
    return map;
  }
}
