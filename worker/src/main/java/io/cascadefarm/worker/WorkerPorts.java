package io.cascadefarm.worker;

import io.cascadefarm.common.port.EventPublisher;
import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.ObjectStore;
import java.util.Objects;

/**
 * The adapters a worker talks through. {@code deadLetters} must publish to the dead-letter topic
 * (not the jobs topic).
 */
public record WorkerPorts(
    JobStore store, ObjectStore objects, EventPublisher events, JobPublisher deadLetters) {
  public WorkerPorts {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(objects, "objects");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(deadLetters, "deadLetters");
  }
}
