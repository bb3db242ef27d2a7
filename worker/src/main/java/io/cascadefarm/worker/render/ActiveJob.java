package io.cascadefarm.worker.render;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.Lease;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A job this worker claimed, with its lease and where it stands locally. Only one party moves a job
 * out of {@link State#ACTIVE} (compare-and-set), so completion, cancellation, lease loss and a hard
 * release never both act on the same job.
 */
public final class ActiveJob {
  /** Local state of a claimed job. */
  public enum State {
    ACTIVE,
    CANCELLED,
    LEASE_LOST,
    RELEASED,
    COMPLETING
  }

  private final Lease lease;
  private final Job job;
  private final AtomicReference<State> state = new AtomicReference<>(State.ACTIVE);
  private volatile Map<String, byte[]> inputs = Map.of();

  public ActiveJob(Lease lease, Job job) {
    this.lease = lease;
    this.job = job;
  }

  public Lease lease() {
    return lease;
  }

  public Job job() {
    return job;
  }

  public State state() {
    return state.get();
  }

  public boolean active() {
    return state.get() == State.ACTIVE;
  }

  /** Moves from ACTIVE to {@code to}; false if something else already moved it. */
  public boolean leave(State to) {
    return state.compareAndSet(State.ACTIVE, to);
  }

  public Map<String, byte[]> inputs() {
    return inputs;
  }

  public void inputs(Map<String, byte[]> loaded) {
    this.inputs = Map.copyOf(loaded);
  }
}
