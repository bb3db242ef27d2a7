package io.cascadefarm.cascade.tools.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.tools.parity.adapters.StageCFixtureAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The tiny {@code stage_c} fixture (its real weights) with float16 weights through the fixture
 * harness: the error against the float32 reference output stays within a loose 5e-2.
 */
class StageCFp16ParityTest {
  @Test
  void stageCFixtureInFp16StaysNearTheReference() throws Exception {
    Path out = Path.of("target", "parity-out", "stage_c.fp16.out.safetensors");
    Files.createDirectories(out.getParent());
    System.setProperty(StageCFixtureAdapter.PRECISION_PROPERTY, "fp16");
    ParityReport report;
    try {
      report = ParityHarness.runAndCompare(Fixtures.load("stage_c"), null, out);
    } finally {
      System.clearProperty(StageCFixtureAdapter.PRECISION_PROPERTY);
    }
    System.out.println("fp16 " + report.describe());
    assertTrue(report.maxRelError() <= 5e-2, report.describe());
  }
}
