package io.cascadefarm.cascade.tools.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.testing.TestResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every fixture of the generated set ({@code cascade/src/test/resources/parity/generated},
 * made by {@code tools/parity-gen/gen.py} from the official Stable Cascade code with random valid
 * configs and shapes) through the port and compares each output with the fixture's own {@code
 * tolerance}. System property {@value #DIR_PROPERTY} points it at another generated directory (e.g.
 * hundreds of fresh seeds); every fixture JSON there is run except {@code index.json} and {@code
 * *.hashinit.json}.
 */
class GeneratedParityTest {
  static final String DIR_PROPERTY = "parity.generated.dir";

  static Path dir() {
    String d = System.getProperty(DIR_PROPERTY);
    return d != null && !d.isBlank() ? Path.of(d) : TestResources.dir("parity/generated");
  }

  static List<String> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(dir())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .filter(n -> !n.equals("index.json") && !n.endsWith(".hashinit.json"))
          .map(n -> n.substring(0, n.length() - ".json".length()))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void generatedFixturePasses(String name) throws Exception {
    Fixture fixture = Fixture.load(dir(), name);
    Path out = Path.of("target", "parity-out", "generated", name + ".out.safetensors");
    Files.createDirectories(out.getParent());
    ParityReport report;
    try {
      report = ParityHarness.runAndCompare(fixture, null, out);
    } catch (Exception | AssertionError e) {
      throw new AssertionError("fixture " + name + ": port failed to run: " + e, e);
    }
    String failed =
        report.outputs().stream()
            .filter(o -> !o.passed())
            .map(o -> "fixture " + name + " output " + o)
            .collect(Collectors.joining("\n"));
    System.out.printf(
        "generated %-40s %s max_rel=%.3e%n",
        name, report.passed() ? "PASS" : "FAIL", report.maxRelError());
    assertTrue(report.passed(), failed.isEmpty() ? report.describe() : failed);
  }
}
