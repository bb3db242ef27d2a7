package io.cascadefarm.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Figures of the soak computed from the transition log and the chaos thread's kills. */
final class SoakFigures {
  private SoakFigures() {}

  /**
   * The worst recoveries of jobs a killed worker was running at the kill: {@code total} from the
   * kill to the restart (claim on another worker), split into {@code detection} (kill to the
   * reaper's re-queue, i.e. lease expiry) and {@code queueWait} (re-queue to the restart). All zero
   * if no kill hit a running job.
   */
  record Worst(Duration total, Duration detection, Duration queueWait) {}

  static Worst worstRecovery(List<Transition> ts, List<Chaos.Kill> kills) {
    Map<UUID, List<Transition>> byJob = new HashMap<>();
    ts.forEach(t -> byJob.computeIfAbsent(t.job(), k -> new ArrayList<>()).add(t));
    Duration total = Duration.ZERO;
    Duration detection = Duration.ZERO;
    Duration wait = Duration.ZERO;
    for (Chaos.Kill k : kills) {
      for (Map.Entry<UUID, List<Transition>> e : byJob.entrySet()) {
        if (heldAt(e.getValue(), k.worker(), k.at())) {
          Duration d =
              Recovery.restartDelay(e.getValue(), e.getKey(), k.worker(), k.at())
                  .orElseThrow(
                      () -> new AssertionError("job never restarted after " + k + ": " + e));
          total = max(total, d);
          Instant requeued = requeuedAfter(e.getValue(), k.at());
          if (requeued != null) {
            detection = max(detection, Duration.between(k.at(), requeued));
            wait = max(wait, d.minus(Duration.between(k.at(), requeued)));
          }
        }
      }
    }
    return new Worst(total, detection, wait);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** When the job went back to the queue after {@code at} (lease expiry or requeue), or null. */
  private static Instant requeuedAfter(List<Transition> ts, Instant at) {
    return ts.stream()
        .filter(t -> t.at().isAfter(at) && t.to().equals("queued"))
        .map(Transition::at)
        .findFirst()
        .orElse(null);
  }

  /** True if the job's last transition before {@code at} was a claim by {@code worker}. */
  private static boolean heldAt(List<Transition> ts, String worker, Instant at) {
    Transition last = null;
    for (Transition t : ts) {
      if (t.at().isAfter(at)) {
        break;
      }
      last = t;
    }
    return last != null && last.event().equals("claim") && worker.equals(last.worker());
  }
}
