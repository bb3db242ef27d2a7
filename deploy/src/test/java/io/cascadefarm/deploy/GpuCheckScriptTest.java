package io.cascadefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device check (deploy/gpu, issue 17 item 5) short of the GPU: every script parses ({@code bash
 * -n}), and {@code check.sh}'s dry run plans every step on the device: engine-info, the self-check
 * on {@code gpu(0)}, every parity fixture in fp32 and the networks {@code auto} reduces in fp16 and
 * bf16, the standalone-farm batch and the lite bench. What each parity step runs, {@code farm net
 * run} at a reduced precision, is run on the CPU by the cli's NetRunCommandTest.
 */
class GpuCheckScriptTest {
  private static final Path GPU = DeployFiles.ROOT.resolve("deploy/gpu");
  private static final List<String> REDUCED = List.of("stage_c", "stage_b", "stage_a", "previewer");

  @TempDir Path out;

  private record Run(int exit, String output) {}

  private Run bash(List<String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("env"));
    cmd.addAll(env);
    cmd.add("bash");
    cmd.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
    b.environment().keySet().removeIf(k -> k.startsWith("CHECK_") || k.startsWith("FARM_"));
    Process p = b.start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bash hung");
    return new Run(p.exitValue(), text);
  }

  @Test
  void everyScriptParses() throws Exception {
    List<Path> scripts;
    try (Stream<Path> s = Files.list(GPU)) {
      scripts = s.filter(f -> f.toString().endsWith(".sh")).sorted().toList();
    }
    assertTrue(scripts.size() >= 4, scripts.toString());
    for (Path script : scripts) {
      Run r = bash(List.of(), "-n", script.toString());
      assertEquals(0, r.exit(), script + ": " + r.output());
    }
  }

  @Test
  void theDryRunPlansEveryStepOnTheGpu() throws Exception {
    Run r =
        bash(List.of("CHECK_DRY_RUN=1", "CHECK_OUT=" + out), GPU.resolve("check.sh").toString());
    assertEquals(0, r.exit(), r.output());
    String o = r.output();
    assertTrue(o.contains("PLAN  engine-info: farm net engine-info --json"), o);
    assertTrue(o.contains("PLAN  selfcheck gpu(0): farm net selfcheck --device gpu(0)"), o);
    for (String fixture : fixtures()) {
      assertTrue(o.contains("PLAN  parity " + fixture + " fp32:"), fixture + "\n" + o);
      for (String p : List.of("fp16", "bf16")) {
        String line = "PLAN  parity " + fixture + " " + p + ":";
        assertEquals(REDUCED.contains(fixture), o.contains(line), line + "\n" + o);
        if (REDUCED.contains(fixture)) {
          assertTrue(o.contains("-Dfarm.parity.precision=" + p), o);
        }
      }
    }
    assertTrue(o.contains("PLAN  tiny batch via standalone farm:"), o);
    assertTrue(o.contains("PLAN  bench net c-lite,b-lite:"), o);
    assertTrue(o.contains("device check PLANNED (dry run: nothing ran)"), o);
    assertFalse(o.contains("PASS") || o.contains("FAIL"), o);
  }

  @Test
  void theCpuModePlansTheSameStepsOnTheCpu() throws Exception {
    Run r =
        bash(
            List.of("CHECK_DRY_RUN=1", "CHECK_DEVICE=cpu", "CHECK_OUT=" + out),
            GPU.resolve("check.sh").toString());
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("PLAN  selfcheck cpu: farm net selfcheck --device cpu"));
    assertTrue(r.output().contains("PLAN  bench net c-tiny,b-tiny:"), r.output());
  }

  private static List<String> fixtures() throws IOException {
    try (Stream<Path> s =
        Files.list(DeployFiles.ROOT.resolve("cascade/src/test/resources/parity"))) {
      List<String> names =
          s.map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".json"))
              .map(n -> n.substring(0, n.length() - ".json".length()))
              .filter(n -> !n.equals("index") && !n.endsWith(".hashinit"))
              .sorted()
              .toList();
      assertTrue(names.containsAll(REDUCED), names.toString());
      return names;
    }
  }
}
