package io.cascadefarm.worker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BatchFormerTest {
  private final AtomicLong now = new AtomicLong();

  private BatchFormer<String> former(int size, long wait) {
    // items are "key:name"
    return new BatchFormer<>(size, wait, s -> s.substring(0, s.indexOf(':')), now::get);
  }

  @Test
  void aFullGroupIsReadyAtOnce() {
    BatchFormer<String> f = former(2, 100);
    f.add("a:1");
    f.add("b:1");
    f.add("a:2");
    f.add("a:3");
    assertEquals(List.of("a:1", "a:2"), f.takeReady());
    assertEquals(2, f.size());
  }

  @Test
  void aPartialGroupWaitsForTheBatchWindow() {
    BatchFormer<String> f = former(4, 100);
    f.add("a:1");
    f.add("a:2");
    assertTrue(f.takeReady().isEmpty());
    now.set(99);
    assertTrue(f.takeReady().isEmpty());
    now.set(100);
    assertEquals(List.of("a:1", "a:2"), f.takeReady());
    assertEquals(0, f.size());
  }

  @Test
  void theOldestReadyGroupGoesFirst() {
    BatchFormer<String> f = former(3, 100);
    f.add("b:1");
    now.set(50);
    f.add("a:1");
    f.add("a:2");
    f.add("a:3");
    assertEquals(List.of("a:1", "a:2", "a:3"), f.takeReady()); // full beats not-yet-aged
    f.add("a:4");
    now.set(160);
    assertEquals(List.of("b:1"), f.takeReady()); // both aged: b is older
    assertEquals(List.of("a:4"), f.takeReady());
  }

  @Test
  void batchSizeOneHandsOutEachItemAlone() {
    BatchFormer<String> f = former(1, 1_000_000);
    f.add("a:1");
    f.add("a:2");
    assertEquals(List.of("a:1"), f.takeReady());
    assertEquals(List.of("a:2"), f.takeReady());
    assertTrue(f.takeReady().isEmpty());
  }

  @Test
  void removeIfDropsMatchingItems() {
    BatchFormer<String> f = former(4, 0);
    f.add("a:1");
    f.add("b:1");
    assertEquals(List.of("b:1"), f.removeIf(s -> s.startsWith("b")));
    assertEquals(List.of("a:1"), f.takeReady());
  }

  @Test
  void aBatchSizeBelowOneIsRejectedNamingTheKey() {
    var e = assertThrows(IllegalArgumentException.class, () -> former(0, 0));
    assertTrue(e.getMessage().contains("farm.worker.batch-size"));
  }
}
