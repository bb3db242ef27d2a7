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
   * The longest time from a kill to the restart (claim on another worker) of a job the killed
   * worker was running at that moment; zero if no kill hit a running job.
   */
  static Duration worstRecovery(List<Transition> ts, List<Chaos.Kill> kills) {
    Map<UUID, List<Transition>> byJob = new HashMap<>();
    ts.forEach(t -> byJob.computeIfAbsent(t.job(), k -> new ArrayList<>()).add(t));
    Duration worst = Duration.ZERO;
    for (Chaos.Kill k : kills) {
      for (Map.Entry<UUID, List<Transition>> e : byJob.entrySet()) {
        if (heldAt(e.getValue(), k.worker(), k.at())) {
          Duration d =
              Recovery.restartDelay(e.getValue(), e.getKey(), k.worker(), k.at())
                  .orElseThrow(
                      () -> new AssertionError("job never restarted after " + k + ": " + e));
          if (d.compareTo(worst) > 0) {
            worst = d;
          }
        }
      }
    }
    return worst;
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
