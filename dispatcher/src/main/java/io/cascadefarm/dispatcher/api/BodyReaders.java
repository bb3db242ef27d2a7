package io.cascadefarm.dispatcher.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.job.JobParams;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the three body shapes of the API with Jackson's streaming parser: a single job object, a
 * batch envelope {@code {"defaults", "jobs", "metadata"}}, and NDJSON (one job object per line).
 * Malformed JSON, invalid UTF-8 or over-deep nesting become errors naming where they happened.
 */
public final class BodyReaders {
  private final ApiLimits limits;
  private final JobReader jobs;

  public BodyReaders(ApiLimits limits) {
    this.limits = limits;
    this.jobs = new JobReader(limits);
  }

  /** NDJSON: each non-blank line is one job object; a bad line never stops the others. */
  public ParsedBatch readNdjson(byte[] body) {
    return new NdjsonReader(limits, jobs).read(body);
  }

  /** NDJSON already split into lines (and limited) while the body arrived. */
  public ParsedBatch readNdjson(NdjsonLines lines) {
    return new NdjsonReader(limits, jobs).read(lines);
  }

  /** A single job body; throws a 400 listing every bad field. */
  public JobParams readJob(byte[] body) {
    FieldErrors errors = new FieldErrors();
    ErrorScope s = ErrorScope.request(errors);
    JobParams params = null;
    try (JsonParser p = JsonBodies.factory().createParser(body)) {
      try {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          s.add("body", "must be a JSON object (a job), got " + Values.describe(p.currentToken()));
        } else {
          params = jobs.read(p, "", s);
          expectEnd(p, s);
        }
      } catch (IOException e) {
        s.add(JsonBodies.pathOf(p, ""), malformed(e));
      }
    } catch (IOException e) {
      s.add("body", malformed(e));
    }
    if (params != null) {
      JobContract.checkRules(params, "", s);
    }
    if (!errors.isEmpty()) {
      throw errors.toException();
    }
    return params;
  }

  /** A JSON batch envelope. */
  public ParsedBatch readBatch(byte[] body) {
    FieldErrors errors = new FieldErrors();
    ErrorScope req = ErrorScope.request(errors);
    List<JobParams> list = new ArrayList<>();
    JobParams defaults = null;
    Map<String, Object> metadata = null;
    io.cascadefarm.common.contract.BatchEnvelope envelope =
        io.cascadefarm.common.contract.BatchEnvelope.NONE;
    boolean sawJobs = false;
    try (JsonParser p = JsonBodies.factory().createParser(body)) {
      try {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          req.add(
              "body",
              "must be a JSON object {\"defaults\", \"jobs\"}, got "
                  + Values.describe(p.currentToken()));
          return new ParsedBatch(null, list, null, errors, false);
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          switch (name) {
            case "defaults" -> defaults = readDefaults(p, req);
            case "jobs" -> {
              sawJobs = true;
              readJobsArray(p, list, errors);
            }
            case "metadata" -> metadata = JobContract.readMetadata(p, "metadata", req);
            default -> {
              if (io.cascadefarm.common.contract.BatchContract.isField(name)) {
                envelope =
                    io.cascadefarm.common.contract.BatchContract.read(p, name, envelope, req);
              } else {
                req.add(
                    name,
                    "unknown field (expected defaults, jobs, metadata, priority, labels,"
                        + " webhook_url, webhook_events)");
                p.skipChildren();
              }
            }
          }
        }
        expectEnd(p, req);
      } catch (IOException e) {
        req.add(JsonBodies.pathOf(p, ""), malformed(e));
      }
    } catch (IOException e) {
      req.add("body", malformed(e));
    }
    if (!sawJobs && errors.isEmpty()) {
      req.add("jobs", "is required: an array of job objects");
    }
    return new ParsedBatch(defaults, list, metadata, errors, false, null, envelope);
  }

  private JobParams readDefaults(JsonParser p, ErrorScope req) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return Values.wrongType(p, "defaults", "must be a job object", req);
    }
    return jobs.read(p, "defaults", req);
  }

  private void readJobsArray(JsonParser p, List<JobParams> list, FieldErrors errors)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      Values.wrongType(p, "jobs", "must be an array of job objects", ErrorScope.request(errors));
      return;
    }
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (i >= limits.maxJobsPerBatch()) {
        errors.add("jobs", "at most " + limits.maxJobsPerBatch() + " jobs per batch");
        p.skipChildren();
        skipRest(p);
        return;
      }
      ErrorScope s = new ErrorScope(errors, i, false);
      String prefix = "jobs[" + i + "]";
      if (p.currentToken() == JsonToken.START_OBJECT) {
        list.add(jobs.read(p, prefix, s));
      } else {
        list.add(Values.wrongType(p, prefix, "must be a job object", s));
      }
      i++;
    }
  }

  private static void skipRest(JsonParser p) throws IOException {
    while (p.nextToken() != JsonToken.END_ARRAY) {
      p.skipChildren();
    }
  }

  static void expectEnd(JsonParser p, ErrorScope s) throws IOException {
    JsonToken t = p.nextToken();
    if (t != null) {
      s.add("body", "unexpected content after the JSON value: " + Values.describe(t));
    }
  }

  static String malformed(IOException e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (m == null) {
      m = e.getClass().getSimpleName();
    }
    m = m.replaceAll("\\s+", " ");
    if (m.length() > 200) {
      m = m.substring(0, 200) + "...";
    }
    if (e instanceof JsonProcessingException j && j.getLocation() != null) {
      m += " (at column " + j.getLocation().getColumnNr() + ")";
    }
    return "malformed JSON: " + m;
  }
}
