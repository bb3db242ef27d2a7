package io.cascadefarm.cascade.tools.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parity fixtures of every network that can compute in reduced precision (Stage C, Stage B,
 * Stage A, previewer) run in fp16 and in bf16 on the CPU against their float32 references, within
 * the documented tolerances (docs/performance.md, "Precision per network"). Stage C/B in fp16 run
 * as a whole in fp16; every other case holds the linear/conv/attention weights in the reduced type
 * (bf16 in the project's TorchScript kernels) with float32 activations. Each case also checks that
 * the reduced precision was really used (the error is above float32 rounding).
 */
class PrecisionParityTest {
  @ParameterizedTest(name = "{0} in {1}")
  @CsvSource({
    "stage_c, fp16",
    "stage_c, bf16",
    "stage_b, fp16",
    "stage_b, bf16",
    "stage_a, fp16",
    "stage_a, bf16",
    "previewer, fp16",
    "previewer, bf16"
  })
  void fixtureStaysWithinTheToleranceOfItsPrecision(String fixture, String precision)
      throws Exception {
    Path out = Path.of("target", "parity-out", fixture + "." + precision + ".out.safetensors");
    Files.createDirectories(out.getParent());
    System.setProperty(FixtureContext.PRECISION_PROPERTY, precision);
    ParityReport report;
    Fixture loaded = Fixtures.load(fixture);
    try {
      report = ParityHarness.runAndCompare(loaded, null, out);
    } finally {
      System.clearProperty(FixtureContext.PRECISION_PROPERTY);
    }
    // max relative error over every output: fp16 1e-2, bf16 5e-2 (Tolerances.forPrecision)
    double tol = Tolerances.forPrecision(loaded, precision);
    System.out.printf(
        "PRECISION %s %s max rel error %.3e (tolerance %.0e)%n",
        fixture, precision, report.maxRelError(), tol);
    assertTrue(report.maxRelError() <= tol, precision + " " + report.describe());
    assertTrue(
        report.maxRelError() > 1e-5,
        precision + " was not applied (error at float32 level): " + report.describe());
  }
}
