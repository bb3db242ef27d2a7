package io.cascadefarm.worker.registry;

import io.cascadefarm.common.port.WorkerRegistry.JobElsewhere;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The automatic quarantine rule (docs/operations.md, "Workers registry and quarantine"): a worker
 * is quarantined when at least {@code K} of its failed attempts since its own last success, none
 * older than the window, are of jobs that then <em>succeeded on another worker</em>.
 *
 * <p>This tells a broken worker from a poison job. A broken worker fails jobs that the healthy
 * workers then render: each retry lands on another worker (the relay steers it there) and succeeds,
 * so the evidence against the worker piles up within K retries. A poison job fails everywhere: it
 * never succeeds on another worker, so it never counts against anyone, however many of them one
 * worker meets in a row (a failure whose job also failed elsewhere is reported as a poison suspect,
 * and otherwise ignored). A single success of the worker's own clears its record.
 */
public final class QuarantineRule {
  private final int threshold;
  private final Duration window;
  private final Map<UUID, Instant> streak = new LinkedHashMap<>();

  /** The outcome of an evaluation. */
  public record Verdict(List<UUID> condemning, List<UUID> poisonSuspects, String reason) {
    public boolean quarantine() {
      return reason != null;
    }
  }

  public QuarantineRule(int threshold, Duration window) {
    this.threshold = threshold;
    this.window = window;
  }

  /** An attempt of {@code job} on this worker ended. */
  public synchronized void attemptEnded(UUID job, boolean succeeded, Instant at) {
    if (succeeded) {
      streak.clear();
    } else {
      streak.remove(job);
      streak.put(job, at);
    }
  }

  /** Forgets every failure (an operator released the worker). */
  public synchronized void reset() {
    streak.clear();
  }

  /** Failed attempts since the worker's last success, within the window before {@code now}. */
  public synchronized List<UUID> suspects(Instant now) {
    Instant oldest = now.minus(window);
    streak.values().removeIf(t -> t.isBefore(oldest));
    return new ArrayList<>(streak.keySet());
  }

  /** Failed attempts in a row (since the last success, within the window). */
  public synchronized int consecutiveFailures() {
    return streak.size();
  }

  /** Whether enough failures piled up to be worth asking the registry about them. */
  public boolean worthChecking(Instant now) {
    return threshold > 0 && suspects(now).size() >= threshold;
  }

  /** The verdict on {@code suspects} given what became of their jobs on other workers. */
  public Verdict evaluate(List<UUID> suspects, Map<UUID, JobElsewhere> elsewhere) {
    List<UUID> condemning = new ArrayList<>();
    List<UUID> poison = new ArrayList<>();
    for (UUID job : suspects) {
      JobElsewhere e = elsewhere.get(job);
      if (e == null) {
        continue;
      }
      if (e.succeeded()) {
        condemning.add(job);
      } else if (e.failed()) {
        poison.add(job);
      }
    }
    String reason = null;
    if (threshold > 0 && condemning.size() >= threshold) {
      reason =
          condemning.size()
              + " failed attempts in a row (within "
              + human(window)
              + ") whose jobs then succeeded on other workers: "
              + condemning.subList(0, Math.min(5, condemning.size()));
    }
    return new Verdict(condemning, poison, reason);
  }

  private static String human(Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }
}
