package io.cascadefarm.dispatcher.admin;

import io.cascadefarm.common.job.TransitionRecord;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.service.Ids;
import io.cascadefarm.dispatcher.service.StoreGuard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /v1/jobs/{id}/transitions}: every recorded move of one of the tenant's jobs, oldest
 * first (submitted, claim, requeue, release, ... with the worker and reason of each).
 */
public final class JobHistory {
  private final JobStore store;

  public JobHistory(JobStore store) {
    this.store = store;
  }

  public Map<String, Object> of(String id, String tenant) {
    UUID job = Ids.parse(id);
    if (job == null || StoreGuard.call("find job", () -> store.find(job, tenant)).isEmpty()) {
      throw ApiException.notFound("id", "no such job: " + id);
    }
    List<TransitionRecord> h = StoreGuard.call("job history", () -> store.history(job));
    List<Map<String, Object>> out =
        h.stream()
            .map(
                t -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("at", t.at());
                  m.put("event", t.event() == null ? "submit" : t.event().wire());
                  m.put("from", t.from() == null ? null : t.from().wire());
                  m.put("to", t.to() == null ? null : t.to().wire());
                  m.put("worker", t.worker());
                  m.put("reason", t.reason());
                  return m;
                })
            .toList();
    return Map.of("job_id", job, "transitions", out);
  }
}
