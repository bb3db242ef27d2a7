package io.cascadefarm.cascade.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The project-written TorchScript kernel module loads from bytes and computes bf16 / fp16 linear
 * layers, convolutions and fused attention with float32 in and out, within the rounding of the type
 * against the float32 ops.
 */
class ScriptKernelsTest {
  private static double relError(NDArray ref, NDArray got) {
    return ref.sub(got).abs().max().getFloat() / ref.abs().max().getFloat();
  }

  @Test
  void bf16LinearAndConvStayWithinBf16RoundingOfFp32() {
    try (NDManager m = NDManager.newBaseManager();
        ScriptKernels k = ScriptKernels.load(m)) {
      m.getEngine().setRandomSeed(7);
      NDArray x = m.randomNormal(new Shape(3, 5, 64));
      NDArray w = m.randomNormal(0f, 0.1f, new Shape(32, 64), DataType.FLOAT32);
      NDArray b = m.randomNormal(new Shape(32));
      int bf = k.put(w, ScriptKernels.BFLOAT16);
      int f32 = k.put(w, ScriptKernels.FLOAT32);
      NDArray ref = Ops.linear(x, w, b);
      NDArray low = k.linear(x, bf, b);
      assertEquals(DataType.FLOAT32, low.getDataType());
      assertArrayEquals(ref.getShape().getShape(), low.getShape().getShape());
      double e = relError(ref, low);
      assertTrue(e < 2e-2 && e > 1e-5, "bf16 linear rel error " + e);
      assertTrue(relError(ref, k.linear(x, f32, b)) < 1e-6);
      assertTrue(relError(Ops.linear(x, w, null), k.linear(x, bf, null)) < 2e-2);

      NDArray img = m.randomNormal(new Shape(2, 8, 9, 9));
      NDArray cw = m.randomNormal(0f, 0.2f, new Shape(8, 1, 3, 3), DataType.FLOAT32);
      NDArray cb = m.randomNormal(new Shape(8));
      int slot = k.put(cw, ScriptKernels.BFLOAT16);
      NDArray cref = Ops.conv2d(img, cw, cb, 1, 1, 8);
      NDArray clow = k.conv2d(img, slot, cb, new int[] {1, 1}, new int[] {1, 1}, 8);
      double ce = relError(cref, clow);
      assertTrue(ce < 2e-2 && ce > 1e-5, "bf16 depthwise conv rel error " + ce);
      // the stored weight comes back widened to float32
      assertTrue(relError(cw, k.weight(slot, m)) < 1e-2);
    }
  }

  @Test
  void fusedAttentionMatchesTheComposite() {
    try (NDManager m = NDManager.newBaseManager();
        ScriptKernels k = ScriptKernels.load(m)) {
      NDArray q = m.randomNormal(new Shape(2, 4, 50, 16));
      NDArray kk = m.randomNormal(new Shape(2, 4, 70, 16));
      NDArray v = m.randomNormal(new Shape(2, 4, 70, 16));
      NDArray ref = Attention.sdpaComposite(q, kk, v);
      assertTrue(relError(ref, k.sdpa(q, kk, v, ScriptKernels.FLOAT32)) < 1e-5);
      double e = relError(ref, k.sdpa(q, kk, v, ScriptKernels.BFLOAT16));
      assertTrue(e < 3e-2 && e > 1e-5, "bf16 attention rel error " + e);
    }
  }

  @Test
  void closedKernelsRefuseWork() {
    try (NDManager m = NDManager.newBaseManager()) {
      ScriptKernels k = ScriptKernels.load(m);
      int slot = k.put(m.ones(new Shape(2, 2)), ScriptKernels.BFLOAT16);
      k.close();
      assertThrows(
          IllegalStateException.class, () -> k.linear(m.ones(new Shape(1, 2)), slot, null));
    }
  }
}
