package io.cascadefarm.dispatcher.tenant;

import io.cascadefarm.common.config.TenantSettings;
import io.cascadefarm.common.port.TenantLimitException;
import io.cascadefarm.common.port.TenantLimits;
import io.cascadefarm.common.port.TenantUsage;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The in-process check of whether a tenant may submit {@code n} more jobs now: first the
 * queued-jobs quota ({@code farm.tenant.max-queued-jobs}, code {@code quota_exceeded}), then the
 * submit rate ({@code farm.tenant.submit-rate}/{@code submit-burst}, code {@code rate_limited}).
 * Both refusals are 429 with Retry-After and the limit's key as the error field. A batch counts as
 * its job count.
 *
 * <p>With a store that keeps the limits farm-wide (PostgreSQL) the store itself refuses inside the
 * inserting transaction and this check is {@link #unlimited()}; {@link #refusal} turns the store's
 * {@link TenantLimitException} into the same 429 (see {@link AdmissionSetup}). The in-memory checks
 * here hold per dispatcher process only.
 */
public final class TenantAdmission {
  /** Retry-After of a quota refusal: the queue drains at render speed, not instantly. */
  static final int QUOTA_RETRY_AFTER_SECONDS = 30;

  private final QueuedJobsQuota quota; // null: no in-process limits
  private final SubmitRateLimiter rate;
  private final TenantLimits limits;

  public TenantAdmission(TenantSettings settings, TenantUsage usage) {
    this(settings, usage, System::nanoTime);
  }

  TenantAdmission(TenantSettings settings, TenantUsage usage, LongSupplier nanos) {
    this.limits = limits(settings);
    this.quota = new QueuedJobsQuota(usage, settings.maxQueuedJobs(), nanos);
    this.rate = new SubmitRateLimiter(limits, nanos);
  }

  private TenantAdmission() {
    this.limits = null;
    this.quota = null;
    this.rate = null;
  }

  /** No limits at all in this process (in-memory tests; a store that enforces them itself). */
  public static TenantAdmission unlimited() {
    return new TenantAdmission();
  }

  /** The configured limits as the store-side port wants them. */
  public static TenantLimits limits(TenantSettings settings) {
    return new TenantLimits(
        settings.maxQueuedJobs(), settings.submitRate(), settings.submitBurst());
  }

  /** Throws a 429 {@link ApiException} unless {@code jobs} more jobs may be submitted now. */
  public void admit(String tenant, int jobs) {
    if (quota == null) {
      return;
    }
    long held = quota.current(tenant);
    if (held + jobs > quota.max()) {
      throw quotaExceeded(tenant, jobs, held, quota.max());
    }
    long wait = rate.take(tenant, jobs);
    if (wait > 0) {
      throw rateLimited(limits, wait);
    }
  }

  /** Counts jobs the store accepted against the in-memory quota until the next refresh. */
  public void accepted(String tenant, int jobs) {
    if (quota != null) {
      quota.accepted(tenant, jobs);
    }
  }

  /** The 429 for a refusal by a store that enforces the limits farm-wide. */
  public static ApiException refusal(TenantLimitException e) {
    TenantLimits l = e.limits();
    return switch (e.limit()) {
      case QUEUED_JOBS ->
          quotaExceeded(e.tenant(), e.jobs(), e.unfinished(), l.maxUnfinishedJobs());
      case SUBMIT_RATE -> rateLimited(l, e.waitSeconds());
    };
  }

  private static ApiException quotaExceeded(String tenant, int jobs, long held, long max) {
    String key = TenantSettings.MAX_QUEUED.name();
    String message =
        "tenant '"
            + tenant
            + "' has "
            + held
            + " unfinished jobs; "
            + jobs
            + " more would pass "
            + key
            + " = "
            + max;
    return refusal("quota_exceeded", key, message, QUOTA_RETRY_AFTER_SECONDS);
  }

  private static ApiException rateLimited(TenantLimits l, long wait) {
    String key = TenantSettings.SUBMIT_RATE.name();
    String message =
        "submit rate limit exceeded: "
            + key
            + " = "
            + l.submitRate()
            + " jobs/s, burst "
            + l.submitBurst()
            + "; retry in "
            + wait
            + " s";
    return refusal("rate_limited", key, message, (int) Math.min(Integer.MAX_VALUE, wait));
  }

  private static ApiException refusal(String code, String field, String message, int retryAfter) {
    return new ApiException(
        429, code, message, List.of(new FieldError(field, message)), retryAfter);
  }
}
