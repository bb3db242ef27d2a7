package io.cascadefarm.cascade.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The bench on the tiny Stage C/B: profiler counts are consistent and nothing stays alive after a
 * forward (no timing assertions).
 */
class NetBenchTest {
  @Test
  void tinyForwardsAreMeasuredAndLeaveNothingAlive() throws Exception {
    for (String name : new String[] {"c-tiny", "b-tiny"}) {
      BenchCase c = BenchCase.named(name);
      BenchResult r = ComputeThread.call("bench-test", () -> NetBench.run(c, 1));
      assertEquals(0, r.liveAfter(), name + ": arrays alive after the forward");
      assertTrue(r.topLevelOps() > 50, name + " top-level ops " + r.topLevelOps());
      assertTrue(r.ops() > r.topLevelOps(), name + " nested ops are counted too");
      assertTrue(r.allocatedBytes() > 0);
      assertTrue(r.parameters() > 10_000);
      assertTrue(r.peakRss() > 0);
    }
  }

  @Test
  void unknownSizeIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BenchCase.named("c-huge"));
    assertTrue(e.getMessage().contains("c-huge"));
  }

  @Test
  void computeThreadRethrows() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                ComputeThread.call(
                    "t",
                    () -> {
                      throw new IllegalStateException("boom");
                    }));
    assertEquals("boom", e.getMessage());
  }
}
