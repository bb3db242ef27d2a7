package io.cascadefarm.worker;

import io.cascadefarm.common.port.EventPublisher;
import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.common.port.WorkerRegistry;
import java.util.Objects;

/**
 * The adapters a worker talks through. {@code deadLetters} must publish to the dead-letter topic
 * (not the jobs topic). {@code registry} is the workers registry (null: the worker neither
 * registers nor quarantines itself, e.g. in unit tests).
 */
public record WorkerPorts(
    JobStore store,
    ObjectStore objects,
    EventPublisher events,
    JobPublisher deadLetters,
    WorkerRegistry registry) {
  public WorkerPorts {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(objects, "objects");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(deadLetters, "deadLetters");
  }

  /** Ports without a workers registry. */
  public WorkerPorts(
      JobStore store, ObjectStore objects, EventPublisher events, JobPublisher deadLetters) {
    this(store, objects, events, deadLetters, null);
  }

  public WorkerPorts withRegistry(WorkerRegistry r) {
    return new WorkerPorts(store, objects, events, deadLetters, r);
  }
}
