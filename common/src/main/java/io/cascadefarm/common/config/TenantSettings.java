package io.cascadefarm.common.config;

import java.time.Duration;
import java.util.List;

/**
 * Authentication and per-tenant limits of the HTTP API. With {@code authEnabled} false every
 * request acts for the tenant {@code default}.
 */
public record TenantSettings(
    boolean authEnabled,
    Duration keyCacheTtl,
    long maxQueuedJobs,
    double submitRate,
    long submitBurst) {
  public static final ConfigKey AUTH_ENABLED =
      new ConfigKey(
          "farm.auth.enabled",
          "true",
          "Require `Authorization: Bearer <API key>` on /v1 routes (false: one tenant `default`)");
  public static final ConfigKey KEY_CACHE_TTL =
      new ConfigKey(
          "farm.auth.key-cache-ttl",
          "30s",
          "How long a looked-up API key is trusted (a revocation takes effect within this)");
  public static final ConfigKey MAX_QUEUED =
      new ConfigKey(
          "farm.tenant.max-queued-jobs",
          "200000",
          "Most unfinished (queued or running) jobs one tenant may have");
  public static final ConfigKey SUBMIT_RATE =
      new ConfigKey(
          "farm.tenant.submit-rate", "1000", "Jobs per second one tenant may submit (refill rate)");
  public static final ConfigKey SUBMIT_BURST =
      new ConfigKey(
          "farm.tenant.submit-burst", "100000", "Jobs one tenant may submit at once (bucket size)");
  public static final List<ConfigKey> KEYS =
      List.of(AUTH_ENABLED, KEY_CACHE_TTL, MAX_QUEUED, SUBMIT_RATE, SUBMIT_BURST);

  public TenantSettings {
    if (maxQueuedJobs < 1) {
      throw new ConfigException(MAX_QUEUED.name() + " must be at least 1, got " + maxQueuedJobs);
    }
    if (!(submitRate > 0) || Double.isInfinite(submitRate)) {
      throw new ConfigException(
          SUBMIT_RATE.name() + " must be a positive number, got " + submitRate);
    }
    if (submitBurst < 1) {
      throw new ConfigException(SUBMIT_BURST.name() + " must be at least 1, got " + submitBurst);
    }
  }

  public static TenantSettings from(ConfigSource c) {
    return new TenantSettings(
        c.getBoolean(AUTH_ENABLED),
        c.getDuration(KEY_CACHE_TTL),
        c.getInt(MAX_QUEUED),
        c.getDouble(SUBMIT_RATE),
        c.getInt(SUBMIT_BURST));
  }
}
