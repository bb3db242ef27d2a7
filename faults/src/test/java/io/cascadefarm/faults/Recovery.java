package io.cascadefarm.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Recovery of a killed worker's job, read from the transition log. */
final class Recovery {
  private Recovery() {}

  /**
   * Time from {@code killedAt} to the first claim of {@code job} by another worker after the kill
   * (the job restarted elsewhere), if there is one.
   */
  static Optional<Duration> restartDelay(
      List<Transition> ts, UUID job, String killed, Instant killedAt) {
    return ts.stream()
        .filter(t -> t.job().equals(job) && t.event().equals("claim"))
        .filter(t -> !t.worker().equals(killed) && t.at().isAfter(killedAt))
        .findFirst()
        .map(t -> Duration.between(killedAt, t.at()));
  }
}
