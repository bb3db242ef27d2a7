package io.cascadefarm.faults;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Short (CI) or full form of the suite, from system properties the pom sets: {@code
 * farm.faults.full} (the {@code faults-full} profile), {@code farm.faults.soak.jobs}, {@code
 * farm.faults.renderer} ({@code tiny}: the real cascade pipeline on the tiny model; {@code
 * stand-in}: {@link StandInRenderer}) and {@code farm.faults.dir} (working directory).
 *
 * <p>The full form keeps the farm's DEFAULT lease (30 s), heartbeat (10 s), reaper interval (5 s)
 * and retry backoff, so the recovery it measures is the one production gets; the short form uses a
 * 6 s lease, 2 s heartbeat and 1 s reaper so CI stays within minutes.
 */
record FaultProfile(boolean full, int soakJobs, String renderer, Path dir) {

  static FaultProfile current() {
    return new FaultProfile(
        Boolean.getBoolean("farm.faults.full"),
        Integer.getInteger("farm.faults.soak.jobs", 120),
        System.getProperty("farm.faults.renderer", "tiny"),
        Path.of(System.getProperty("farm.faults.dir", "target/faults")).toAbsolutePath());
  }

  /** Worker settings of this form (the full form sets none: the documented defaults apply). */
  Map<String, String> workerSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    if (!full) {
      m.put("farm.worker.lease", "6s");
      m.put("farm.worker.heartbeat", "2s");
      m.put("farm.worker.retry-backoff", "200ms");
      m.put("farm.worker.retry-backoff-max", "1s");
    }
    return m;
  }

  /** Dispatcher settings of this form. */
  Map<String, String> dispatcherSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    if (!full) {
      m.put("farm.reaper.interval", "1s");
    }
    return m;
  }

  /** How long an S3 outage lasts in the storage scenario: 30 s full, 8 s short. */
  int s3OutageSeconds() {
    return full ? 30 : 8;
  }
}
