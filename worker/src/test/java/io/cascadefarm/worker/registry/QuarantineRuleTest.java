package io.cascadefarm.worker.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.port.WorkerRegistry.JobElsewhere;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The documented quarantine rule: K failures in a row whose jobs succeeded elsewhere. */
class QuarantineRuleTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final QuarantineRule rule = new QuarantineRule(3, Duration.ofMinutes(10));

  private List<UUID> fail(int n, Instant at) {
    List<UUID> jobs = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      UUID j = UUID.randomUUID();
      rule.attemptEnded(j, false, at);
      jobs.add(j);
    }
    return jobs;
  }

  private static Map<UUID, JobElsewhere> all(List<UUID> jobs, JobElsewhere e) {
    Map<UUID, JobElsewhere> m = new HashMap<>();
    jobs.forEach(j -> m.put(j, e));
    return m;
  }

  @Test
  void kFailuresThatSucceededElsewhereQuarantine() {
    List<UUID> jobs = fail(3, T0);
    assertTrue(rule.worthChecking(T0));
    QuarantineRule.Verdict v =
        rule.evaluate(rule.suspects(T0), all(jobs, new JobElsewhere(true, false)));
    assertTrue(v.quarantine());
    assertEquals(3, v.condemning().size());
    assertTrue(v.reason().contains("succeeded on other workers"), v.reason());
    assertTrue(v.reason().startsWith("3 failed attempts in a row (within 10 min)"), v.reason());
  }

  @Test
  void poisonJobsFailingEverywhereNeverQuarantine() {
    List<UUID> jobs = fail(10, T0);
    QuarantineRule.Verdict v =
        rule.evaluate(rule.suspects(T0), all(jobs, new JobElsewhere(false, true)));
    assertFalse(v.quarantine());
    assertEquals(10, v.poisonSuspects().size());
  }

  @Test
  void jobsNotYetRetriedElsewhereDoNotCount() {
    List<UUID> jobs = fail(3, T0);
    Map<UUID, JobElsewhere> seen = all(jobs.subList(0, 2), new JobElsewhere(true, false));
    assertFalse(rule.evaluate(rule.suspects(T0), seen).quarantine());
  }

  @Test
  void aSuccessOfItsOwnClearsTheRecord() {
    fail(2, T0);
    rule.attemptEnded(UUID.randomUUID(), true, T0);
    List<UUID> jobs = fail(2, T0);
    assertFalse(rule.worthChecking(T0));
    assertEquals(2, rule.consecutiveFailures());
    assertFalse(
        rule.evaluate(rule.suspects(T0), all(jobs, new JobElsewhere(true, false))).quarantine());
  }

  @Test
  void failuresOlderThanTheWindowDoNotCount() {
    fail(2, T0);
    fail(1, T0.plus(Duration.ofMinutes(11)));
    assertFalse(rule.worthChecking(T0.plus(Duration.ofMinutes(11))));
    assertEquals(1, rule.suspects(T0.plus(Duration.ofMinutes(11))).size());
  }

  @Test
  void zeroTurnsTheRuleOff() {
    QuarantineRule off = new QuarantineRule(0, Duration.ofMinutes(10));
    for (int i = 0; i < 5; i++) {
      off.attemptEnded(UUID.randomUUID(), false, T0);
    }
    assertFalse(off.worthChecking(T0));
  }
}
