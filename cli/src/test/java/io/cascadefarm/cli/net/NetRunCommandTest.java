package io.cascadefarm.cli.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.ParityComparator;
import io.cascadefarm.cli.Farm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code farm net run} on every fixture of the shared parity set: exit 0, every output written. */
class NetRunCommandTest {
  @TempDir Path tmp;

  static Stream<Path> fixtures() throws Exception {
    List<Path> files = SharedFixtures.fixtureFiles();
    assertFalse(files.isEmpty(), "no fixtures found");
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void everyFixturePassesFromTheCommandLine(Path json) throws Exception {
    Path out = tmp.resolve("out.safetensors");
    Farm run = Farm.run("net", "run", "--fixture", json.toString(), "--out", out.toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains(": PASS"), run.out());
    assertFalse(run.out().contains("FAIL"), run.out());
    Fixture f = Fixture.load(json);
    try (SafetensorsReader r = SafetensorsReader.open(out)) {
      for (String key : ParityComparator.expectedOutputs(f)) {
        assertTrue(r.contains(key), "output " + key + " missing from " + out);
      }
    }
  }

  /**
   * What each reduced-precision step of deploy/gpu/check.sh runs, on the CPU: the fixture in fp16
   * and bf16, judged by the largest error over every output against Tolerances.forPrecision (the
   * fp32 tolerance of Stage A, 1e-5, would fail it: the error shows the precision was applied).
   */
  @ParameterizedTest(name = "stage_a in {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"fp16", "bf16"})
  void aReducedPrecisionRunIsJudgedByItsOwnTolerance(String precision) throws Exception {
    Path json = SharedFixtures.dir().resolve("stage_a.json");
    System.setProperty("farm.parity.precision", precision);
    Farm run;
    try {
      run =
          Farm.run(
              "net", "run", "--fixture", json.toString(), "--out", tmp.resolve("a.st").toString());
    } finally {
      System.clearProperty("farm.parity.precision");
    }
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("stage_a " + precision + ": max rel error"), run.out());
    assertTrue(run.out().contains(": PASS"), run.out());
    assertFalse(run.out().contains("FAIL"), run.out());
    double err =
        Double.parseDouble(run.out().replaceAll("(?s).*max rel error ([0-9.e+-]+) .*", "$1"));
    assertTrue(err > 1e-5, "above Stage A's fp32 tolerance: the precision applied: " + err);
  }

  @Test
  void weightsOverrideIsUsed() throws Exception {
    Path json = SharedFixtures.dir().resolve("previewer.json");
    Path copy =
        Files.copy(
            SharedFixtures.dir().resolve("previewer.weights.safetensors"),
            tmp.resolve("w.safetensors"));
    Farm same =
        Farm.run(
            "net",
            "run",
            "--fixture",
            json.toString(),
            "--weights",
            copy.toString(),
            "--out",
            tmp.resolve("same.safetensors").toString());
    assertEquals(0, same.exitCode(), same.out() + same.err());
    Path other = SharedFixtures.dir().resolve("stage_a.weights.safetensors");
    Farm run =
        Farm.run(
            "net",
            "run",
            "--fixture",
            json.toString(),
            "--weights",
            other.toString(),
            "--out",
            tmp.resolve("o.safetensors").toString());
    assertEquals(1, run.exitCode(), "Stage A weights cannot bind to the Previewer: " + run.out());
    assertTrue(run.err().contains("missing") || run.err().contains("unexpected"), run.err());
  }

  @Test
  void tracedRunComparesTheTrace() throws Exception {
    Path json = SharedFixtures.dir().resolve("stage_c.json");
    Path trace = tmp.resolve("trace.safetensors");
    Farm run =
        Farm.run(
            "net",
            "run",
            "--fixture",
            json.toString(),
            "--out",
            tmp.resolve("o.safetensors").toString(),
            "--trace",
            trace.toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(Files.size(trace) > 0);
    assertTrue(run.out().contains("(trace): PASS"), run.out());
  }

  @Test
  void missingFixtureIsAClearError() {
    Farm run =
        Farm.run(
            "net",
            "run",
            "--fixture",
            tmp.resolve("nope.json").toString(),
            "--out",
            tmp.resolve("o.safetensors").toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("fixture file not found"), run.err());
  }
}
