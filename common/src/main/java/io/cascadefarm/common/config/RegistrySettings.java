package io.cascadefarm.common.config;

import java.time.Duration;
import java.util.List;

/**
 * The workers registry and automatic quarantine (issue 13; docs/operations.md, "Workers registry
 * and quarantine"). Workers read the {@code farm.worker.*} keys, the dispatcher the {@code
 * farm.workers.*} keys.
 *
 * @param interval how often a worker writes its registry row and reads the operator's hold
 * @param quarantineFailures K: a worker is quarantined when its last K failed attempts (no success
 *     of its own in between) are of jobs that then succeeded on other workers; 0 turns it off
 * @param quarantineWindow failures older than this do not count
 * @param goneAfter a worker whose last registry heartbeat is older is shown as gone
 * @param retention rows of workers silent for longer are deleted
 */
public record RegistrySettings(
    Duration interval,
    int quarantineFailures,
    Duration quarantineWindow,
    Duration goneAfter,
    Duration retention) {
  public static final ConfigKey INTERVAL =
      new ConfigKey(
          "farm.worker.registry-interval",
          "5s",
          "How often a worker writes its row of the workers registry and reads drain/release");
  public static final ConfigKey QUARANTINE_FAILURES =
      new ConfigKey(
          "farm.worker.quarantine-failures",
          "3",
          "Quarantine a worker whose last N failed attempts (no success between) all succeeded on"
              + " other workers; 0: never");
  public static final ConfigKey QUARANTINE_WINDOW =
      new ConfigKey(
          "farm.worker.quarantine-window",
          "10m",
          "Failed attempts older than this do not count towards quarantine");
  public static final ConfigKey GONE_AFTER =
      new ConfigKey(
          "farm.workers.gone-after",
          "30s",
          "A worker whose last registry heartbeat is older is shown as gone");
  public static final ConfigKey RETENTION =
      new ConfigKey(
          "farm.workers.retention", "24h", "Registry rows of workers gone longer are deleted");

  public static final List<ConfigKey> WORKER_KEYS =
      List.of(INTERVAL, QUARANTINE_FAILURES, QUARANTINE_WINDOW);
  public static final List<ConfigKey> DISPATCHER_KEYS = List.of(GONE_AFTER, RETENTION);

  /** The documented defaults. */
  public static final RegistrySettings DEFAULT =
      new RegistrySettings(
          Duration.ofSeconds(5),
          3,
          Duration.ofMinutes(10),
          Duration.ofSeconds(30),
          Duration.ofHours(24));

  public RegistrySettings {
    if (interval.isNegative() || interval.isZero()) {
      throw new ConfigException(INTERVAL.name() + " must be positive, got " + interval);
    }
    if (quarantineFailures < 0) {
      throw new ConfigException(
          QUARANTINE_FAILURES.name() + " must be 0 (off) or more, got " + quarantineFailures);
    }
    if (goneAfter.isNegative() || goneAfter.isZero()) {
      throw new ConfigException(GONE_AFTER.name() + " must be positive, got " + goneAfter);
    }
  }

  public static RegistrySettings from(ConfigSource c) {
    return new RegistrySettings(
        c.getDuration(INTERVAL),
        c.getInt(QUARANTINE_FAILURES),
        c.getDuration(QUARANTINE_WINDOW),
        c.getDuration(GONE_AFTER),
        c.getDuration(RETENTION));
  }
}
