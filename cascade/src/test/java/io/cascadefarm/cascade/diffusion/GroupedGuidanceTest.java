package io.cascadefarm.cascade.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GroupedGuidanceTest {

  @Test
  void eachGroupIsGuidedAsIfAlone() {
    try (NDManager m = NDManager.newBaseManager()) {
      // three rows: request A has row 0, request B rows 1-2; [cond; uncond] = 6 rows
      NDArray cond = new SeededNoise(new long[] {1, 2, 3}, "c").initial(m, new Shape(3, 2, 4, 4));
      NDArray uncond = new SeededNoise(new long[] {4, 5, 6}, "u").initial(m, new Shape(3, 2, 4, 4));
      NDArray batched = NDArrays.concat(new NDList(cond, uncond));
      float[] grouped = GroupedGuidance.apply(batched, 4.0, 0.7, new int[] {1, 2}).toFloatArray();

      NDArray aloneA = Guidance.apply(cond.get("0:1"), uncond.get("0:1"), 4.0, 0.7);
      NDArray aloneB = Guidance.apply(cond.get("1:3"), uncond.get("1:3"), 4.0, 0.7);
      float[] expected = NDArrays.concat(new NDList(aloneA, aloneB)).toFloatArray();
      assertArrayEquals(expected, grouped);

      float[] whole = GroupedGuidance.apply(batched, 4.0, 0.7, new int[] {3}).toFloatArray();
      assertArrayEquals(Guidance.applyBatched(batched, 4.0, 0.7).toFloatArray(), whole);
      assertFalse(Arrays.equals(whole, grouped), "grouping must matter for the rescale");
    }
  }

  @Test
  void seededNoiseRowsDependOnlyOnTheirSeed() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] pair =
          new SeededNoise(new long[] {7, 9}, "prior").step(m, new Shape(2, 3, 2), 4).toFloatArray();
      float[] alone =
          new SeededNoise(new long[] {9}, "prior").step(m, new Shape(1, 3, 2), 4).toFloatArray();
      assertArrayEquals(alone, Arrays.copyOfRange(pair, 6, 12));
      float[] otherStep =
          new SeededNoise(new long[] {9}, "prior").step(m, new Shape(1, 3, 2), 5).toFloatArray();
      assertFalse(Arrays.equals(alone, otherStep));
    }
  }
}
