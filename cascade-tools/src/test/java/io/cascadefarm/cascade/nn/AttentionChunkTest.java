package io.cascadefarm.cascade.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.tools.bench.OpProfile;
import org.junit.jupiter.api.Test;

/**
 * Attention in query chunks: the same result as one block, and a memory probe (libtorch's own
 * profiler: the largest tensor any single op created) showing the scores never exceed the budget.
 */
class AttentionChunkTest {
  @Test
  void chunkedAttentionEqualsOneBlockAndStaysWithinItsScoreBudget() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      // a reduced "level-2 block": batch 2 x 4 heads, 1,024 queries and keys, head dim 16
      Shape s = new Shape(2, 4, 1024, 16);
      NDArray q = m.randomNormal(s);
      NDArray k = m.randomNormal(s);
      NDArray v = m.randomNormal(s);
      long fullScores = 2L * 4 * 1024 * 1024 * 4; // 32 MiB
      long budget = 2L << 20; // 2 MiB: 64 query rows per chunk

      float[][] out = new float[2][];
      OpProfile whole =
          OpProfile.of(() -> out[0] = Attention.sdpa(q, k, v, Long.MAX_VALUE).toFloatArray());
      OpProfile chunked =
          OpProfile.of(() -> out[1] = Attention.sdpa(q, k, v, budget).toFloatArray());

      assertEquals(fullScores, whole.largestOpBytes(), "one block holds every score at once");
      long outputBytes = s.size() * 4;
      assertTrue(
          chunked.largestOpBytes() <= Math.max(budget, outputBytes),
          "largest op " + chunked.largestOpBytes() + " B with a " + budget + " B budget");
      double maxDiff = 0;
      double maxRef = 0;
      for (int i = 0; i < out[0].length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(out[0][i] - out[1][i]));
        maxRef = Math.max(maxRef, Math.abs(out[0][i]));
      }
      assertTrue(maxDiff / maxRef < 1e-6, "rel " + maxDiff / maxRef);
    }
  }

  @Test
  void rowsPerChunkFollowTheBudget() {
    Shape q = new Shape(4, 8, 4096, 64); // 4 rows x 8 heads x 4,096 tokens: 2 GiB of scores whole
    assertEquals(256, Attention.queryRowsPerChunk(q, 4096, DataType.FLOAT32, 128L << 20));
    assertEquals(512, Attention.queryRowsPerChunk(q, 4096, DataType.FLOAT16, 128L << 20));
    assertEquals(1, Attention.queryRowsPerChunk(q, 4096, DataType.FLOAT32, 1));
  }
}
