package io.cascadefarm.infra.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Chooses the partition of a retried job so that a different worker runs it: a partition consumed
 * by a worker that has not claimed the job yet, else one not consumed by the worker that claimed it
 * last. Among the candidates the choice is a hash of the job id, so it spreads retries and gives
 * the same answer when a message is published twice. Empty when no worker qualifies (a farm with
 * one worker, or no known assignment): the publisher then keys the record as usual.
 */
public final class RetrySteering {
  private RetrySteering() {}

  /**
   * @param triedBy workers that claimed the job, oldest first
   * @param partitionsByWorker the retry-lane partitions each live worker consumes
   */
  public static OptionalInt partition(
      UUID jobId, List<String> triedBy, Map<String, List<Integer>> partitionsByWorker) {
    if (triedBy.isEmpty()) {
      return OptionalInt.empty();
    }
    List<Integer> fresh = partitionsOf(partitionsByWorker, w -> !triedBy.contains(w));
    if (fresh.isEmpty()) {
      String last = triedBy.get(triedBy.size() - 1);
      fresh = partitionsOf(partitionsByWorker, w -> !w.equals(last));
    }
    if (fresh.isEmpty()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(fresh.get(Math.floorMod(jobId.hashCode(), fresh.size())));
  }

  private static List<Integer> partitionsOf(
      Map<String, List<Integer>> byWorker, java.util.function.Predicate<String> eligible) {
    List<Integer> out = new ArrayList<>();
    new TreeMap<>(byWorker)
        .forEach(
            (worker, partitions) -> {
              if (eligible.test(worker)) {
                partitions.stream().sorted().forEach(out::add);
              }
            });
    return out;
  }
}
