package io.cascadefarm.dispatcher.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.common.job.JobParams;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads NDJSON batches: one job object per line, each line parsed on its own so a broken line is
 * reported (as {@code lines[n]}, 1-based, with {@code line: n}) without stopping the others. Blank
 * lines are skipped but keep the numbering; the body is split by {@link NdjsonLines}, which
 * enforces the job and blank-line limits as the lines arrive.
 */
final class NdjsonReader {
  private final ApiLimits limits;
  private final JobReader jobs;

  NdjsonReader(ApiLimits limits, JobReader jobs) {
    this.limits = limits;
    this.jobs = jobs;
  }

  /** NDJSON: each non-blank line is one job object; a bad line never stops the others. */
  ParsedBatch read(byte[] body) {
    try {
      return read(NdjsonLines.of(body, limits.maxJobsPerBatch()));
    } catch (ApiException e) {
      FieldErrors errors = new FieldErrors();
      e.fields().forEach(f -> errors.add(f.field(), f.message()));
      return new ParsedBatch(null, List.of(), null, errors, true);
    }
  }

  /** The lines of a body already split (and limited) as it arrived. */
  ParsedBatch read(NdjsonLines lines) {
    FieldErrors errors = new FieldErrors();
    List<JobParams> list = new ArrayList<>(lines.count());
    int[] numbers = new int[lines.count()];
    for (int i = 0; i < lines.count(); i++) {
      numbers[i] = lines.line(i);
      list.add(readLine(lines.data(), lines.start(i), lines.length(i), lines.line(i), errors));
    }
    if (list.isEmpty() && errors.isEmpty()) {
      errors.add("body", "no jobs: send one JSON job object per line");
    }
    return new ParsedBatch(null, list, null, errors, true, numbers);
  }

  private JobParams readLine(byte[] body, int start, int len, int line, FieldErrors errors) {
    String prefix = "lines[" + line + "]";
    ErrorScope s = new ErrorScope(errors, line, true);
    try (JsonParser p = JsonBodies.factory().createParser(body, start, len)) {
      try {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          s.add(prefix, "must be a JSON job object, got " + Values.describe(p.currentToken()));
          return null;
        }
        JobParams params = jobs.read(p, prefix, s);
        BodyReaders.expectEnd(p, new ErrorScope(errors, line, true));
        return params;
      } catch (IOException e) {
        s.add(JsonBodies.pathOf(p, prefix), BodyReaders.malformed(e));
        return null;
      }
    } catch (IOException e) {
      s.add(prefix, BodyReaders.malformed(e));
      return null;
    }
  }
}
