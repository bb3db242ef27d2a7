package io.cascadefarm.common.port;

import java.time.Instant;
import java.util.List;

/**
 * What each worker reports about the model variants it can render (PostgreSQL: {@code
 * db.WorkerModelTable}), for {@code GET /v1/models}.
 */
public interface WorkerModels {

  /** One variant on one worker. */
  record Report(
      String worker,
      String model,
      boolean loaded,
      boolean weightsPresent,
      String precision,
      String device,
      Long loadMillis,
      Instant updatedAt) {}

  /** Upserts the rows of {@code reports} (their worker and model are the key). */
  void report(List<Report> reports);

  /** Every row updated at or after {@code since}. */
  List<Report> seenSince(Instant since);
}
