package io.cascadefarm.dispatcher.api;

import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.StageParams;
import java.util.HashMap;
import java.util.Map;

/**
 * Applies a batch's {@code defaults} to one job: every field the job leaves unset comes from the
 * defaults (stage settings field by field, metadata merged key by key with the job winning).
 */
public final class ParamsMerger {
  private ParamsMerger() {}

  public static JobParams merge(JobParams job, JobParams d) {
    if (d == null) {
      return job;
    }
    return new JobParams(
        or(job.kind(), d.kind()),
        or(job.prompt(), d.prompt()),
        or(job.negativePrompt(), d.negativePrompt()),
        or(job.width(), d.width()),
        or(job.height(), d.height()),
        or(job.seed(), d.seed()),
        or(job.images(), d.images()),
        or(job.model(), d.model()),
        stage(job.prior(), d.prior()),
        stage(job.decoder(), d.decoder()),
        or(job.image(), d.image()),
        or(job.strength(), d.strength()),
        or(job.control(), d.control()),
        or(job.mask(), d.mask()),
        or(job.controlStrength(), d.controlStrength()),
        job.loras().isEmpty() ? d.loras() : job.loras(),
        metadata(job.metadata(), d.metadata()));
  }

  private static StageParams stage(StageParams job, StageParams d) {
    return job.orElse(d);
  }

  private static Map<String, Object> metadata(Map<String, Object> job, Map<String, Object> d) {
    if (d.isEmpty()) {
      return job;
    }
    Map<String, Object> m = new HashMap<>(d);
    m.putAll(job);
    return m;
  }

  private static <T> T or(T a, T b) {
    return a != null ? a : b;
  }
}
