package io.cascadefarm.common.port;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The workers registry (PostgreSQL table {@code workers}): workers register and heartbeat into it,
 * the API lists it, operators drain and release workers through it, and a worker asks it whether
 * its failed jobs succeeded on other workers (the quarantine rule, docs/operations.md).
 */
public interface WorkerRegistry {

  /**
   * Inserts or updates the worker's row with what it reports (never the operator's hold) and
   * returns the operator's side of the row.
   */
  WorkerCommand heartbeat(WorkerHeartbeat heartbeat);

  /** Every registered worker, by id. */
  List<WorkerRecord> list();

  Optional<WorkerRecord> find(String id);

  /** Holds the worker out of service (it finishes its jobs, then claims none); false if unknown. */
  boolean drain(String id, String reason);

  /** Lifts an operator's hold and clears an automatic quarantine; false if unknown. */
  boolean release(String id);

  /** Deletes the rows of workers whose last heartbeat is before {@code cutoff}; how many. */
  int deleteSilentSince(Instant cutoff);

  /**
   * For each of {@code jobs}, what happened to it on workers other than {@code worker}: whether
   * another worker completed it, and whether another worker failed an attempt of it.
   */
  Map<UUID, JobElsewhere> elsewhere(String worker, Collection<UUID> jobs);

  /** What became of a job on other workers. */
  record JobElsewhere(boolean succeeded, boolean failed) {}
}
