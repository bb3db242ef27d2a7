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
 * lines are skipped but keep the numbering.
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
    FieldErrors errors = new FieldErrors();
    List<JobParams> list = new ArrayList<>();
    int start = 0;
    int line = 0;
    while (start <= body.length) {
      int end = indexOf(body, (byte) '\n', start);
      line++;
      int len = trimmedLength(body, start, end);
      if (len > 0) {
        if (list.size() >= limits.maxJobsPerBatch()) {
          errors.add("body", "at most " + limits.maxJobsPerBatch() + " jobs per batch");
          break;
        }
        // blank lines keep their number but hold no job: pad so item index = line - 1
        while (list.size() < line - 1) {
          list.add(null);
        }
        list.add(readLine(body, start, len, line, errors));
      }
      start = end + 1;
    }
    while (!list.isEmpty() && list.get(list.size() - 1) == null && !errors.isBad(list.size())) {
      list.remove(list.size() - 1);
    }
    if (list.stream().allMatch(j -> j == null) && errors.isEmpty()) {
      errors.add("body", "no jobs: send one JSON job object per line");
    }
    return new ParsedBatch(null, list, null, errors, true);
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

  private static int indexOf(byte[] b, byte v, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return b.length;
  }

  private static int trimmedLength(byte[] b, int start, int end) {
    int e = end;
    while (e > start && (b[e - 1] == '\r' || b[e - 1] == ' ' || b[e - 1] == '\t')) {
      e--;
    }
    int s = start;
    while (s < e && (b[s] == ' ' || b[s] == '\t')) {
      s++;
    }
    return s == e ? 0 : e - start;
  }
}
