package io.cascadefarm.cascade.tools.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParityHarnessTest {
  @TempDir Path dir;

  private Fixture writeFixture(float[] expectedY) throws Exception {
    new SafetensorsWriter()
        .addF32("scale", new long[] {3}, new float[] {1, 2, 3})
        .addF32("shift", new long[] {3}, new float[] {0.5f, 0, -1})
        .write(dir.resolve("affine.weights.safetensors"));
    new SafetensorsWriter()
        .addF32("a.x", new long[] {1, 3}, new float[] {1, 1, 1})
        .addF32("a.out", new long[] {1, 3}, expectedY)
        .addF32("b.out", new long[] {1, 3}, new float[] {-1.5f, -2, -2})
        .addI64("b.sum", new long[] {}, new long[] {-5})
        .write(dir.resolve("affine.io.safetensors"));
    String json =
        """
        {"fixture": "affine", "model_class": "test.Affine (synthetic)", "config": {"n": 3},
         "calls": [
          {"name": "a", "method": "forward", "positional_args": [{"param": "x", "tensor": "a.x"}],
           "keyword_args": {}, "outputs": ["a.out", null]},
          {"name": "b", "method": "forward", "positional_args": [{"param": "x", "tensor": "a.x"}],
           "keyword_args": {"negate": {"value": true}}, "outputs": ["b.out", null, "b.sum"]}],
         "io_tensors": {}, "files": {"weights": "affine.weights.safetensors", "io": "affine.io.safetensors"}}
        """;
    Files.writeString(dir.resolve("affine.json"), json);
    return Fixture.load(dir, "affine");
  }

  @Test
  void runsCallsWritesOutputsAndComparesWithinTolerance() throws Exception {
    Fixture f = writeFixture(new float[] {1.5f, 2f, 2f});
    assertEquals("test.Affine", f.network());
    Path out = dir.resolve("out.safetensors");
    ParityReport report = ParityHarness.runAndCompare(f, null, out);
    assertTrue(report.passed(), report.describe());
    assertEquals(3, report.outputs().size());
    try (SafetensorsReader r = SafetensorsReader.open(out)) {
      assertEquals(0, r.info("b.sum").shape().length);
      assertEquals(-5L, r.readLongs("b.sum")[0]);
    }
  }

  @Test
  void reportsRelativeErrorAboveTolerance() throws Exception {
    Fixture f = writeFixture(new float[] {1.5f, 2f, 2.1f});
    ParityReport report = ParityHarness.runAndCompare(f, null, dir.resolve("out.safetensors"));
    assertFalse(report.passed());
    assertEquals(0.1 / 2.1, report.outputs().get(0).relError(), 1e-6);
  }

  @Test
  void weightsOverrideIsUsed() throws Exception {
    Fixture f = writeFixture(new float[] {1.5f, 2f, 2f});
    Path other = dir.resolve("other.safetensors");
    new SafetensorsWriter()
        .addF32("scale", new long[] {3}, new float[] {0, 0, 0})
        .addF32("shift", new long[] {3}, new float[] {1.5f, 2f, 2f})
        .write(other);
    assertTrue(
        ParityHarness.runAndCompare(f, other, dir.resolve("o.safetensors"))
            .outputs()
            .get(0)
            .passed());
  }

  @Test
  void unknownNetworkGivesClearError() throws Exception {
    Files.writeString(
        dir.resolve("x.json"), "{\"fixture\":\"x\",\"model_class\":\"modules.nope.Nope\"}");
    var e =
        assertThrows(
            FixtureFormatException.class, () -> ParityHarness.run(Fixture.load(dir, "x"), null));
    assertTrue(e.getMessage().contains("modules.nope.Nope"), e.getMessage());
  }

  @Test
  void parsesRealFixtureFormats() throws Exception {
    Fixture cnet = Fixtures.load("stage_c_cnet");
    assertEquals("modules.stage_c.StageC", cnet.network());
    CallArg list = cnet.calls().get(0).keyword().get("cnet");
    assertEquals(8, list.tensorList().size());
    assertEquals(null, list.tensorList().get(1));
    Fixture lora = Fixtures.load("stage_c_lora");
    assertEquals("modules.stage_c.StageC", lora.network());
    Fixture sampler = Fixtures.load("sampler_c");
    assertTrue(sampler.isSampler());
    assertTrue(ParityComparator.expectedOutputs(sampler).contains("step3.model_out"));
    assertFalse(ParityComparator.expectedOutputs(sampler).contains("step0.noise"));
    assertTrue(Fixtures.load("stage_c").calls().get(2).isModelFree());
    assertTrue(
        Fixtures.load("stage_a").calls().get(0).keyword().get("quantize").value().isBoolean());
  }
}
