package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.contract.BatchEnvelope;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.JobListing;
import io.cascadefarm.dispatcher.api.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/jobs}, {@code GET /v1/batches} and the queue estimate of a queued job. Query
 * values are checked here and refused with a 400 naming the parameter.
 */
public final class ListingService {
  /** Most labels one listing may filter on. */
  public static final int MAX_LABEL_FILTERS = 8;

  private static final Pattern KEY = Pattern.compile(JobContract.LABEL_KEY);

  /** Queue positions are counted up to this (an estimate beyond it says "at least"). */
  public static final long POSITION_CAP = 100_000;

  /** Window of the recent throughput the ETA divides by. */
  public static final Duration THROUGHPUT_WINDOW = Duration.ofMinutes(10);

  private static final Duration THROUGHPUT_CACHE = Duration.ofSeconds(10);

  private final JobListing listing;
  private final JobQueries queries;
  private final Clock clock;
  private final long lowAgingMillis;
  private volatile double ratePerSecond = -1;
  private volatile long rateReadNanos;

  public ListingService(JobListing listing, JobQueries queries, Clock clock, Duration lowAging) {
    this.listing = listing;
    this.queries = queries;
    this.clock = clock;
    this.lowAgingMillis = lowAging.toMillis();
  }

  /** A page of jobs and the cursor of the next (null on the last). */
  public record JobsPage(List<JobView> jobs, String next) {}

  /** A page of batches and the cursor of the next (null on the last). */
  public record BatchesPage(List<BatchListView> batches, String next) {}

  /** A batch as listings show it. */
  public record BatchListView(
      UUID id,
      String status,
      int jobCount,
      Map<String, Integer> counts,
      boolean done,
      String priority,
      Map<String, String> labels,
      String webhookUrl,
      List<String> webhookEvents,
      Map<String, Object> metadata,
      Instant createdAt) {}

  public JobsPage jobs(
      String tenant,
      String status,
      String batch,
      List<String> labels,
      String createdAfter,
      String createdBefore,
      String limit,
      String after) {
    JobStatus st = null;
    if (status != null && !status.isEmpty()) {
      try {
        st = JobStatus.fromWire(status);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidField("status", e.getMessage());
      }
    }
    UUID batchId = null;
    if (batch != null && !batch.isEmpty()) {
      batchId = Ids.parse(batch);
      if (batchId == null) {
        throw ApiException.invalidField("batch", "must be a batch id");
      }
    }
    int n = limit(limit);
    JobListing.JobFilter f =
        new JobListing.JobFilter(
            tenant,
            st,
            batchId,
            labels(labels),
            time("created_after", createdAfter),
            time("created_before", createdBefore));
    JobListing.Cursor from = Cursors.decode(after);
    List<Job> page = StoreGuard.call("list jobs", () -> listing.jobs(f, from, n));
    String next = null;
    if (page.size() == n) {
      Job last = page.get(page.size() - 1);
      next = Cursors.encode(last.createdAt(), last.id());
    }
    return new JobsPage(page.stream().map(queries::view).toList(), next);
  }

  /**
   * {@code GET /v1/batches}: newest first; {@code before} is the {@code next} cursor of the
   * previous page, or an ISO-8601 instant (only batches created strictly before it).
   */
  public BatchesPage batches(
      String tenant, String status, List<String> labels, String limit, String before) {
    JobListing.BatchStatus st = null;
    if (status != null && !status.isEmpty()) {
      try {
        st = JobListing.BatchStatus.valueOf(status.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidField(
            "status", "must be one of queued, running, succeeded, failed, cancelled");
      }
    }
    int n = limit(limit);
    JobListing.BatchFilter f = new JobListing.BatchFilter(tenant, st, labels(labels));
    JobListing.Cursor from = batchCursor(before);
    List<JobListing.BatchRow> rows =
        StoreGuard.call("list batches", () -> listing.batches(f, from, n));
    String next = null;
    if (rows.size() == n) {
      JobListing.BatchRow last = rows.get(rows.size() - 1);
      next = Cursors.encode(last.summary().createdAt(), last.summary().id());
    }
    return new BatchesPage(rows.stream().map(ListingService::view).toList(), next);
  }

  /** A {@code next} cursor, or an instant as the cursor that sorts after every id created then. */
  private static JobListing.Cursor batchCursor(String before) {
    if (before == null || before.isEmpty()) {
      return null;
    }
    try {
      return new JobListing.Cursor(Instant.parse(before), new UUID(0, 0));
    } catch (DateTimeParseException e) {
      return Cursors.decode("before", before); // a cursor, or 400 naming before
    }
  }

  /** A batch row as listed; also used to decorate {@code GET /v1/batches/{id}}. */
  public static BatchListView view(JobListing.BatchRow r) {
    BatchView v = BatchView.of(r.summary());
    BatchEnvelope o = r.options();
    Map<String, Object> metadata =
        new LinkedHashMap<>(v.metadata() == null ? Map.of() : v.metadata());
    metadata.remove(BatchIdempotency.HASH_KEY);
    return new BatchListView(
        v.id(),
        r.status().wire(),
        v.jobCount(),
        v.counts(),
        v.done(),
        o.priority(),
        o.labels(),
        o.webhookUrl(),
        o.webhookUrl() == null ? null : o.effectiveEvents(),
        metadata,
        v.createdAt());
  }

  /** The job view of a queued job with its estimated queue position and ETA. */
  public JobView withQueue(JobView v) {
    if (v.status() != JobStatus.QUEUED) {
      return v;
    }
    String lane = v.params() == null ? null : v.params().priority();
    long ahead =
        StoreGuard.call(
            "queue position",
            () -> listing.queuedAhead(v.id(), lane, lowAgingMillis, POSITION_CAP));
    double rate = rate();
    Long eta = rate > 0 ? (long) Math.ceil((ahead + 1) / rate) : null;
    return v.withQueue(ahead, eta);
  }

  /** Jobs finished per second over the last {@link #THROUGHPUT_WINDOW}, cached for 10 s. */
  private double rate() {
    long now = System.nanoTime();
    if (ratePerSecond < 0 || now - rateReadNanos > THROUGHPUT_CACHE.toNanos()) {
      long done =
          StoreGuard.call(
              "throughput", () -> listing.finishedSince(clock.instant().minus(THROUGHPUT_WINDOW)));
      ratePerSecond = done / (double) THROUGHPUT_WINDOW.toSeconds();
      rateReadNanos = now;
    }
    return ratePerSecond;
  }

  private static int limit(String limit) {
    return Limits.page(limit);
  }

  /** {@code key:value} filters (repeated parameter {@code label}). */
  static Map<String, String> labels(List<String> given) {
    Map<String, String> out = new LinkedHashMap<>();
    if (given == null) {
      return out;
    }
    if (given.size() > MAX_LABEL_FILTERS) {
      throw ApiException.invalidField("label", "at most " + MAX_LABEL_FILTERS + " label filters");
    }
    for (String g : given) {
      int colon = g.indexOf(':');
      if (colon < 1
          || !KEY.matcher(g.substring(0, colon)).matches()
          || g.length() - colon - 1 > 256) {
        throw ApiException.invalidField(
            "label",
            "must be key:value (a label key, then ':' and the value), got '" + clip(g) + "'");
      }
      out.put(g.substring(0, colon), g.substring(colon + 1));
    }
    return out;
  }

  private static Instant time(String name, String v) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiException.invalidField(
          name, "must be an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
    }
  }

  private static String clip(String s) {
    String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return t.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
