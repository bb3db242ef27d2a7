package io.cascadefarm.cascade.net.lora;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.tools.parity.ParityReport;
import io.cascadefarm.cascade.tools.parity.ParityTestSupport;
import org.junit.jupiter.api.Test;

/** Fixture {@code stage_c_lora} through the harness (tolerance 1e-3 rel). */
class StageCLoraParityTest extends ParityTestSupport {

  @Test
  void fixturePasses() throws Exception {
    ParityReport report = assertFixturePasses("stage_c_lora");
    assertTrue(report.describe().contains("cfg.out"), report.describe());
  }

  @Test
  void weightsOverrideReplacesTheBaseStageCWeights() throws Exception {
    assertFixturePasses("stage_c_lora", ParityFiles.file("stage_c.weights.safetensors"));
  }
}
