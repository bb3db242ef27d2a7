package io.cascadefarm.cascade.net.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.nn.Attention;
import io.cascadefarm.cascade.nn.Autograd;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each block's one-call TorchScript forward against its op-by-op forward on random weights, and
 * which path {@code forward} takes (scripted only outside gradient recording, in script mode).
 */
class BlockScriptsTest {
  private final NDManager m = NDManager.newBaseManager();

  @AfterEach
  void close() {
    BlockScripts.mode(BlockScripts.Mode.SCRIPT);
    Attention.mode(Attention.Mode.FUSED);
    m.close();
  }

  private void bind(Module block) {
    m.getEngine().setRandomSeed(7);
    for (Parameter p : block.namedParameters().values()) {
      p.set(m.randomNormal(0, 0.3f, new Shape(p.shape()), DataType.FLOAT32));
    }
  }

  private NDArray input(long... shape) {
    return m.randomNormal(new Shape(shape));
  }

  private static void assertClose(NDArray expected, NDArray actual) {
    assertEquals(expected.getShape(), actual.getShape());
    float[] e = expected.toFloatArray();
    float[] a = actual.toFloatArray();
    double max = 0;
    double diff = 0;
    for (int i = 0; i < e.length; i++) {
      max = Math.max(max, Math.abs(e[i]));
      diff = Math.max(diff, Math.abs(e[i] - a[i]));
    }
    assertTrue(diff <= 1e-5 * max, "max diff " + diff + " of max " + max);
  }

  @Test
  void resBlockWithAndWithoutSkip() {
    ResBlock plain = new ResBlock(12, 0, 3);
    bind(plain);
    NDArray x = input(2, 12, 5, 7);
    assertClose(plain.forwardOps(x, null), plain.forwardScripted(x, null));
    ResBlock skipped = new ResBlock(12, 8, 3);
    bind(skipped);
    NDArray skip = input(2, 8, 5, 7);
    assertClose(skipped.forwardOps(x, skip), skipped.forwardScripted(x, skip));
  }

  @Test
  void timestepBlockWithConditions() {
    TimestepBlock t = new TimestepBlock(12, 16, List.of("sca", "crp"));
    bind(t);
    NDArray x = input(2, 12, 4, 4);
    NDArray r = input(2, 48);
    assertClose(t.forwardOps(x, r), t.forwardScripted(x, r));
  }

  @Test
  void attnBlockSelfAndCross() {
    for (boolean self : new boolean[] {true, false}) {
      AttnBlock a = new AttnBlock(16, 24, 4, self);
      bind(a);
      NDArray x = input(2, 16, 3, 5);
      NDArray cond = input(2, 6, 24);
      assertClose(a.forwardOps(x, cond), a.forwardScripted(x, cond));
    }
  }

  @Test
  void feedForwardBlock() {
    FeedForwardBlock f = new FeedForwardBlock(12);
    bind(f);
    NDArray x = input(1, 12, 6, 3);
    assertClose(f.forwardOps(x), f.forwardScripted(x));
  }

  @Test
  void forwardIsScriptedOnlyOutsideRecordingInScriptMode() {
    ResBlock block = new ResBlock(8, 0, 3);
    bind(block);
    NDArray x = input(1, 8, 4, 4);
    assertEquals(1, scriptedCalls(() -> block.forward(x, null)));
    Autograd.enter();
    try {
      assertEquals(0, scriptedCalls(() -> block.forward(x, null)), "recording: op-by-op");
    } finally {
      Autograd.exit();
    }
    BlockScripts.mode(BlockScripts.Mode.OPS);
    assertEquals(0, scriptedCalls(() -> block.forward(x, null)), "FARM_BLOCKS=ops");
  }

  @Test
  void attentionBlocksFollowTheCompositeAttentionSetting() {
    AttnBlock a = new AttnBlock(8, 8, 2, true);
    bind(a);
    NDArray x = input(1, 8, 2, 2);
    NDArray cond = input(1, 3, 8);
    assertEquals(1, scriptedCalls(() -> a.forward(x, cond)));
    Attention.mode(Attention.Mode.COMPOSITE);
    assertEquals(0, scriptedCalls(() -> a.forward(x, cond)));
  }

  @Test
  void scriptedResultsMatchInFloat16() {
    TimestepBlock t = new TimestepBlock(8, 8, List.of());
    bind(t);
    t.convertParameters(DataType.FLOAT16);
    NDArray x = input(1, 8, 3, 3).toType(DataType.FLOAT16, false);
    NDArray r = input(1, 8).toType(DataType.FLOAT16, false);
    NDArray ops = t.forwardOps(x, r);
    NDArray scripted = t.forwardScripted(x, r);
    assertEquals(DataType.FLOAT16, scripted.getDataType());
    assertArrayEquals(
        ops.toType(DataType.FLOAT32, false).toFloatArray(),
        scripted.toType(DataType.FLOAT32, false).toFloatArray(),
        1e-2f);
  }

  private static long scriptedCalls(Supplier<NDArray> body) {
    long before = BlockScripts.calls();
    body.get();
    return BlockScripts.calls() - before;
  }
}
