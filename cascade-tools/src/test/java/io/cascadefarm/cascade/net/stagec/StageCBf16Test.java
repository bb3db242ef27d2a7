package io.cascadefarm.cascade.net.stagec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.io.SafetensorsDType;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.io.TensorInfo;
import io.cascadefarm.cascade.tools.parity.Fixtures;
import io.cascadefarm.cascade.tools.parity.OutputError;
import io.cascadefarm.cascade.tools.parity.ParityComparator;
import io.cascadefarm.cascade.tools.parity.ParityHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage_c fixture weights stored as BF16 load through the reader and stay within 1e-2. */
class StageCBf16Test {
  @TempDir Path tmp;

  @Test
  void bf16WeightsStayWithinOnePercentOfFp32() throws Exception {
    Path bf16 = tmp.resolve("stage_c.bf16.safetensors");
    SafetensorsWriter w = new SafetensorsWriter();
    try (SafetensorsReader r =
        SafetensorsReader.open(Fixtures.file("stage_c.weights.safetensors"))) {
      for (TensorInfo t : r.infos()) {
        if (t.dtype().isFloating()) {
          w.addBf16(t.name(), t.shape(), r.readFloats(t.name()));
        } else {
          w.addI64(t.name(), t.shape(), r.readLongs(t.name()));
        }
      }
    }
    w.write(bf16);
    try (SafetensorsReader r = SafetensorsReader.open(bf16)) {
      assertEquals(SafetensorsDType.BF16, r.info("clip_txt_mapper.weight").dtype());
    }
    var fixture = Fixtures.load("stage_c");
    Path out = tmp.resolve("out.safetensors");
    ParityHarness.run(fixture, bf16, out);
    try (SafetensorsReader ref = SafetensorsReader.open(fixture.file("io"));
        SafetensorsReader port = SafetensorsReader.open(out)) {
      for (String key : ParityComparator.expectedOutputs(fixture)) {
        OutputError e = ParityComparator.compareKey(key, ref, port, 1e-2);
        System.out.println("bf16 " + e);
        assertTrue(e.passed(), e.toString());
        assertTrue(e.relError() > 1e-6, "bf16 rounding must be visible: " + e);
      }
    }
  }
}
