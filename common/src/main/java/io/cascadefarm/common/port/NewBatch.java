package io.cascadefarm.common.port;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A batch of jobs inserted in one transaction, with the batch's own metadata. */
public record NewBatch(UUID id, String tenant, List<NewJob> jobs, Map<String, Object> metadata) {
  public NewBatch {
    jobs = List.copyOf(jobs);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
