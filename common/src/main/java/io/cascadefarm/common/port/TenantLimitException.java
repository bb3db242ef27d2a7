package io.cascadefarm.common.port;

/**
 * A store refused a submit because a {@link TenantLimits} limit is reached; nothing was stored. The
 * HTTP API answers 429 ({@code quota_exceeded} or {@code rate_limited}) with Retry-After.
 */
public final class TenantLimitException extends RuntimeException {
  /** Which limit refused the submit. */
  public enum Limit {
    /** The tenant's unfinished jobs plus the new ones would pass the maximum. */
    QUEUED_JOBS,
    /** The tenant's submit bucket does not hold the jobs yet. */
    SUBMIT_RATE
  }

  private final Limit limit;
  private final String tenant;
  private final int jobs;
  private final long unfinished;
  private final long waitSeconds;
  private final TenantLimits limits;

  private TenantLimitException(
      Limit limit, String tenant, int jobs, long unfinished, long waitSeconds, TenantLimits l) {
    super(
        limit == Limit.QUEUED_JOBS
            ? "tenant '"
                + tenant
                + "' has "
                + unfinished
                + " unfinished jobs, "
                + jobs
                + " more"
                + " would pass the maximum of "
                + l.maxUnfinishedJobs()
            : "tenant '" + tenant + "' may submit " + jobs + " jobs in " + waitSeconds + " s");
    this.limit = limit;
    this.tenant = tenant;
    this.jobs = jobs;
    this.unfinished = unfinished;
    this.waitSeconds = waitSeconds;
    this.limits = l;
  }

  /** {@code jobs} more would pass {@link TenantLimits#maxUnfinishedJobs}. */
  public static TenantLimitException queuedJobs(
      String tenant, int jobs, long unfinished, TenantLimits limits) {
    return new TenantLimitException(Limit.QUEUED_JOBS, tenant, jobs, unfinished, 0, limits);
  }

  /** The submit bucket holds {@code jobs} only in {@code waitSeconds}. */
  public static TenantLimitException submitRate(
      String tenant, int jobs, long waitSeconds, TenantLimits limits) {
    return new TenantLimitException(Limit.SUBMIT_RATE, tenant, jobs, -1, waitSeconds, limits);
  }

  public Limit limit() {
    return limit;
  }

  public String tenant() {
    return tenant;
  }

  /** The jobs of the refused submit. */
  public int jobs() {
    return jobs;
  }

  /** The tenant's unfinished jobs when refused by {@link Limit#QUEUED_JOBS}, else -1. */
  public long unfinished() {
    return unfinished;
  }

  /** Seconds until the bucket holds the jobs ({@link Limit#SUBMIT_RATE}), else 0. */
  public long waitSeconds() {
    return waitSeconds;
  }

  public TenantLimits limits() {
    return limits;
  }
}
