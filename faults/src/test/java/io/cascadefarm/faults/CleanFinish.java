package io.cascadefarm.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The rule every scenario ends with, checked per job from PostgreSQL and the S3 listing:
 *
 * <ul>
 *   <li>the job is {@code succeeded}, with exactly one {@code succeed} transition;
 *   <li>it ran (claims not handed back by a release) at most {@code attempts} times, and {@code
 *       attempts <= max_attempts};
 *   <li>its result references one image, under {@code results/<id>/<attempts>/} (the succeeded
 *       attempt), and that object exists;
 *   <li>the succeeded attempt's prefix holds exactly the referenced objects. Objects of EARLIER
 *       attempts (a worker killed after uploading, before completing) may remain under their own
 *       attempt key; they are never referenced and are counted as {@link Stats#orphans}.
 * </ul>
 */
final class CleanFinish {
  private CleanFinish() {}

  /**
   * What a clean finish cost: renders beyond one per job, and unreferenced dead-attempt objects.
   */
  record Stats(int jobs, int runs, int reRenders, int orphans) {}

  static Stats check(List<JobRow> jobs, List<Transition> transitions, List<String> s3Keys) {
    Map<UUID, List<Transition>> byJob = new HashMap<>();
    transitions.forEach(t -> byJob.computeIfAbsent(t.job(), k -> new ArrayList<>()).add(t));
    Map<UUID, List<String>> objects = new HashMap<>();
    for (String key : s3Keys) {
      String[] parts = key.split("/");
      if (parts.length == 4 && parts[0].equals("results")) {
        objects.computeIfAbsent(UUID.fromString(parts[1]), k -> new ArrayList<>()).add(key);
      }
    }
    int runs = 0;
    int orphans = 0;
    for (JobRow j : jobs) {
      List<Transition> ts = byJob.getOrDefault(j.id(), List.of());
      assertEquals("succeeded", j.status(), () -> "job " + j + " history " + ts);
      assertEquals(1, count(ts, "succeed"), () -> "succeed transitions of " + j.id() + ": " + ts);
      int ran = count(ts, "claim") - count(ts, "release");
      runs += ran;
      assertTrue(
          ran <= j.attempts() && j.attempts() <= j.maxAttempts(),
          () -> j.id() + " ran " + ran + " times, attempts " + j.attempts() + ": " + ts);
      // result keys carry the lease epoch, which every claim increments: the succeeded claim is
      // the last one, so its epoch is the number of claims
      int claims = count(ts, "claim");
      String attemptPrefix = "results/" + j.id() + "/" + claims + "/";
      List<String> referenced = j.resultKeys();
      assertEquals(1, referenced.size(), () -> "result of " + j);
      assertTrue(referenced.get(0).startsWith(attemptPrefix), () -> "result key of " + j);
      Set<String> listed = new HashSet<>(objects.getOrDefault(j.id(), List.of()));
      Set<String> ofSucceeded = new HashSet<>();
      for (String k : listed) {
        if (k.startsWith(attemptPrefix)) {
          ofSucceeded.add(k);
        } else {
          int epoch = Integer.parseInt(k.split("/")[2]);
          assertTrue(epoch < claims, () -> "object " + k + " of a later claim: " + j);
          orphans++;
        }
      }
      assertEquals(Set.copyOf(referenced), ofSucceeded, () -> "objects of " + j.id());
    }
    return new Stats(jobs.size(), runs, runs - jobs.size(), orphans);
  }

  static int count(List<Transition> ts, String event) {
    return (int) ts.stream().filter(t -> t.event().equals(event)).count();
  }
}
