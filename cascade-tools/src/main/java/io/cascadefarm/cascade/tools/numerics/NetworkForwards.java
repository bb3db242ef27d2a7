package io.cascadefarm.cascade.tools.numerics;

import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.ParityHarness;
import io.cascadefarm.cascade.tools.parity.ParityReport;
import io.cascadefarm.cascade.tools.parity.Tolerances;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One tiny forward of each network type against outputs the official Stable Cascade code produced
 * (compact fixtures in this package's resources, listed in {@code selfcheck/index.txt}: one line
 * per fixture, its name then its files), compared at the fixture's parity tolerance.
 */
final class NetworkForwards {
  private static final String DIR = "selfcheck/";

  private NetworkForwards() {}

  /** A network's verdict and its report line. */
  record Result(String fixture, boolean passed, String line) {}

  static List<Result> runAll() {
    List<Result> out = new ArrayList<>();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("farm-selfcheck");
      for (String entry : index()) {
        String[] parts = entry.trim().split("\\s+");
        for (int i = 1; i < parts.length; i++) {
          copy(parts[i], dir.resolve(parts[i]));
        }
        out.add(run(dir, parts[0]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage the self-check fixtures", e);
    } finally {
      deleteQuietly(dir);
    }
    return out;
  }

  private static Result run(Path dir, String name) {
    String label = String.format("  %-16s ", "net " + name.replaceFirst("^g\\d+_", ""));
    try {
      Fixture f = Fixture.load(dir, name);
      ParityReport r = ParityHarness.runAndCompare(f, null, dir.resolve(name + ".out.safetensors"));
      double tol = Tolerances.forFixture(f);
      String line =
          label
              + (r.passed() ? "ok  " : "FAIL")
              + String.format(
                  " %d outputs, worst rel %.1e (tolerance %.0e, official outputs)",
                  r.outputs().size(), r.maxRelError(), tol);
      return new Result(name, r.passed(), line);
    } catch (Exception e) {
      return new Result(name, false, label + "FAIL forward threw " + e);
    }
  }

  private static List<String> index() throws IOException {
    try (InputStream in = resource("index.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .toList();
    }
  }

  private static void copy(String file, Path to) throws IOException {
    try (InputStream in = resource(file)) {
      Files.copy(in, to);
    }
  }

  private static InputStream resource(String file) throws IOException {
    InputStream in = NetworkForwards.class.getResourceAsStream(DIR + file);
    if (in == null) {
      throw new IOException("self-check resource missing: " + DIR + file);
    }
    return in;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
