package io.cascadefarm.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RetrySteeringTest {
  private static final Map<String, List<Integer>> THREE =
      Map.of("a", List.of(0, 3), "b", List.of(1, 4), "c", List.of(2, 5));

  @Test
  void aFirstAttemptIsNotSteered() {
    assertTrue(RetrySteering.partition(UUID.randomUUID(), List.of(), THREE).isEmpty());
  }

  @Test
  void aRetryGoesToAWorkerThatHasNotClaimedTheJob() {
    for (int i = 0; i < 200; i++) {
      UUID job = UUID.randomUUID();
      int p = RetrySteering.partition(job, List.of("a"), THREE).getAsInt();
      assertTrue(List.of(1, 4, 2, 5).contains(p), "partition " + p);
      int q = RetrySteering.partition(job, List.of("a", "b"), THREE).getAsInt();
      assertTrue(List.of(2, 5).contains(q), "partition " + q);
      assertEquals(p, RetrySteering.partition(job, List.of("a"), THREE).getAsInt(), "stable");
    }
  }

  @Test
  void whenEveryWorkerTriedItAvoidsTheLastOne() {
    for (int i = 0; i < 100; i++) {
      int p = RetrySteering.partition(UUID.randomUUID(), List.of("b", "c", "a"), THREE).getAsInt();
      assertTrue(List.of(1, 4, 2, 5).contains(p), "partition " + p);
    }
  }

  @Test
  void retriesSpreadOverTheOtherWorkersPartitions() {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int i = 0; i < 400; i++) {
      seen.add(RetrySteering.partition(UUID.randomUUID(), List.of("a"), THREE).getAsInt());
    }
    assertEquals(java.util.Set.of(1, 2, 4, 5), seen);
  }

  @Test
  void noSteeringWithOneWorkerOrAnUnknownAssignment() {
    UUID job = UUID.randomUUID();
    assertEquals(
        OptionalInt.empty(), RetrySteering.partition(job, List.of("a"), Map.of("a", List.of(0))));
    assertEquals(OptionalInt.empty(), RetrySteering.partition(job, List.of("a"), Map.of()));
    assertEquals(
        OptionalInt.empty(),
        RetrySteering.partition(job, List.of("a"), Map.of("a", List.of(0), "b", List.of())),
        "a member without partitions (mid-rebalance) takes nothing");
  }
}
