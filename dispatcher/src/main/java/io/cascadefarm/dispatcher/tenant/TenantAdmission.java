package io.cascadefarm.dispatcher.tenant;

import io.cascadefarm.common.config.TenantSettings;
import io.cascadefarm.common.port.TenantUsage;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Decides whether a tenant may submit {@code n} more jobs now: first the queued-jobs quota ({@code
 * farm.tenant.max-queued-jobs}, code {@code quota_exceeded}), then the submit rate ({@code
 * farm.tenant.submit-rate}/{@code submit-burst}, code {@code rate_limited}). Both refusals are 429
 * with Retry-After and the limit's key as the error field. A batch counts as its job count.
 */
public final class TenantAdmission {
  /** Retry-After of a quota refusal: the queue drains at render speed, not instantly. */
  static final int QUOTA_RETRY_AFTER_SECONDS = 30;

  private final QueuedJobsQuota quota;
  private final SubmitRateLimiter rate;
  private final TenantSettings settings;

  public TenantAdmission(TenantSettings settings, TenantUsage usage) {
    this(settings, usage, System::nanoTime);
  }

  TenantAdmission(TenantSettings settings, TenantUsage usage, LongSupplier nanos) {
    this.settings = settings;
    this.quota = new QueuedJobsQuota(usage, settings.maxQueuedJobs(), nanos);
    this.rate = new SubmitRateLimiter(settings.submitRate(), settings.submitBurst(), nanos);
  }

  /** No limits at all (in-memory tests). */
  public static TenantAdmission unlimited() {
    return new TenantAdmission(
        new TenantSettings(false, java.time.Duration.ZERO, Long.MAX_VALUE, 1e12, Long.MAX_VALUE),
        TenantUsage.none());
  }

  /** Throws a 429 {@link ApiException} unless {@code jobs} more jobs may be submitted now. */
  public void admit(String tenant, int jobs) {
    long held = quota.current(tenant);
    if (held + jobs > quota.max()) {
      String key = TenantSettings.MAX_QUEUED.name();
      throw refusal(
          "quota_exceeded",
          key,
          "tenant '"
              + tenant
              + "' has "
              + held
              + " unfinished jobs; "
              + jobs
              + " more would pass "
              + key
              + " = "
              + quota.max(),
          QUOTA_RETRY_AFTER_SECONDS);
    }
    long wait = rate.take(tenant, jobs);
    if (wait > 0) {
      String key = TenantSettings.SUBMIT_RATE.name();
      throw refusal(
          "rate_limited",
          key,
          "submit rate limit exceeded: "
              + key
              + " = "
              + settings.submitRate()
              + " jobs/s, burst "
              + settings.submitBurst()
              + "; retry in "
              + wait
              + " s",
          (int) Math.min(Integer.MAX_VALUE, wait));
    }
  }

  /** Counts jobs the store accepted against the quota until the next refresh. */
  public void accepted(String tenant, int jobs) {
    quota.accepted(tenant, jobs);
  }

  private static ApiException refusal(String code, String field, String message, int retryAfter) {
    return new ApiException(
        429, code, message, List.of(new FieldError(field, message)), retryAfter);
  }
}
