package io.cascadefarm.dispatcher.api;

import io.cascadefarm.common.job.JobParams;
import java.util.List;
import java.util.Map;

/**
 * A read request body: the jobs exactly as sent (null where an item could not be read at all), the
 * batch defaults and metadata, and every error found so far. {@code itemBase} is 0 for a JSON
 * {@code jobs} array and 1 for NDJSON lines; item {@code i} of the list is {@code jobs[i]}, or for
 * NDJSON line {@code lineNumbers[i]} (blank lines hold no item).
 */
public record ParsedBatch(
    JobParams defaults,
    List<JobParams> jobs,
    Map<String, Object> metadata,
    FieldErrors errors,
    boolean ndjson,
    int[] lineNumbers,
    io.cascadefarm.common.contract.BatchEnvelope envelope) {

  public ParsedBatch {
    envelope = envelope == null ? io.cascadefarm.common.contract.BatchEnvelope.NONE : envelope;
  }

  public ParsedBatch(
      JobParams defaults,
      List<JobParams> jobs,
      Map<String, Object> metadata,
      FieldErrors errors,
      boolean ndjson,
      int[] lineNumbers) {
    this(defaults, jobs, metadata, errors, ndjson, lineNumbers, null);
  }

  public ParsedBatch(
      JobParams defaults,
      List<JobParams> jobs,
      Map<String, Object> metadata,
      FieldErrors errors,
      boolean ndjson) {
    this(defaults, jobs, metadata, errors, ndjson, null, null);
  }

  /** The error-path prefix of item {@code i}: {@code jobs[i]} or {@code lines[i+1]}. */
  public String prefix(int i) {
    return ndjson ? "lines[" + itemNumber(i) + "]" : "jobs[" + i + "]";
  }

  /** The item number errors of item {@code i} are recorded under. */
  public int itemNumber(int i) {
    if (!ndjson) {
      return i;
    }
    return lineNumbers == null ? i + 1 : lineNumbers[i];
  }

  public ErrorScope scope(int i) {
    return new ErrorScope(errors, itemNumber(i), ndjson);
  }

  public boolean isBad(int i) {
    return errors.isBad(itemNumber(i));
  }
}
