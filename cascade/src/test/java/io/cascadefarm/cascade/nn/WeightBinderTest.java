package io.cascadefarm.cascade.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightBinderTest {
  @TempDir Path tmp;

  static final class Block extends Module {
    Block() {
      child("attn", new MultiheadAttention(4, 2));
      Sequential s = new Sequential();
      s.add(LayerNorm.channels2d(4, false, 1e-6f)).add(new Conv2d(4, 8, 1));
      child("proj", s);
      child("bn", new BatchNorm2d(8, 1e-5f));
    }
  }

  @Test
  void keysFollowStateDictNamingAndOrder() {
    List<String> lines = NetworkCatalog.keyLines(new Block());
    assertEquals(
        List.of(
            "attn.in_proj_weight\t[12,4]",
            "attn.in_proj_bias\t[12]",
            "attn.out_proj.weight\t[4,4]",
            "attn.out_proj.bias\t[4]",
            "proj.1.weight\t[8,4,1,1]",
            "proj.1.bias\t[8]",
            "bn.weight\t[8]",
            "bn.bias\t[8]",
            "bn.running_mean\t[8]",
            "bn.running_var\t[8]"),
        lines);
  }

  @Test
  void bindsMatchingFileAndIgnoresNumBatchesTracked() throws Exception {
    Block block = new Block();
    SafetensorsWriter w = new SafetensorsWriter();
    block.namedParameters().forEach((k, p) -> w.addF32(k, p.shape(), new float[(int) p.numel()]));
    w.addI64("bn.num_batches_tracked", new long[] {}, new long[] {0});
    Path file = tmp.resolve("w.safetensors");
    w.write(file);
    try (NDManager m = NDManager.newBaseManager();
        SafetensorsWeights src = SafetensorsWeights.open(file)) {
      WeightBinder.bind(block, src, m);
      assertArrayEquals(
          new long[] {8, 4, 1, 1},
          block.find("proj.1").namedParameters().get("weight").array().getShape().getShape());
    }
  }

  @Test
  void mismatchListsMissingUnexpectedAndMisShapedInOneException() throws Exception {
    Block block = new Block();
    SafetensorsWriter w = new SafetensorsWriter();
    block
        .namedParameters()
        .forEach(
            (k, p) -> {
              if (k.equals("bn.running_var")) {
                return;
              }
              long[] shape = k.equals("proj.1.bias") ? new long[] {9} : p.shape();
              w.addF32(
                  k, shape, new float[(int) io.cascadefarm.cascade.io.TensorInfo.numel(shape)]);
            });
    w.addF32("extra.weight", new long[] {1}, new float[1]);
    Path file = tmp.resolve("bad.safetensors");
    w.write(file);
    try (NDManager m = NDManager.newBaseManager();
        SafetensorsWeights src = SafetensorsWeights.open(file)) {
      WeightMismatchException e =
          assertThrows(WeightMismatchException.class, () -> WeightBinder.bind(block, src, m));
      assertEquals(List.of("bn.running_var"), e.missing());
      assertEquals(List.of("extra.weight"), e.unexpected());
      assertEquals(1, e.misShaped().size());
      assertTrue(
          e.getMessage().contains("proj.1.bias: checkpoint [9] vs declared [8]"), e.getMessage());
      assertTrue(m.getManagedArrays().isEmpty(), "nothing loaded on mismatch");
    }
  }
}
