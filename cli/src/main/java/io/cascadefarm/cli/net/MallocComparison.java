package io.cascadefarm.cli.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times the same cases in child JVMs (same java binary and classpath) with and without glibc's
 * {@code MALLOC_MMAP_THRESHOLD_}/{@code MALLOC_TRIM_THRESHOLD_}, alternating the order twice so
 * that load drift on a shared machine hits both variants. glibc reads these variables at process
 * start, hence child processes.
 */
final class MallocComparison {
  static final String MMAP = "MALLOC_MMAP_THRESHOLD_";
  static final String TRIM = "MALLOC_TRIM_THRESHOLD_";

  /** The values tried: glibc's maximum mmap threshold (32 MiB on 64-bit) and no trimming. */
  static final String MMAP_VALUE = "33554432";

  static final String TRIM_VALUE = "4294967295";

  private MallocComparison() {}

  static void run(List<String> sizes, int repeat, PrintStream out)
      throws IOException, InterruptedException {
    Map<String, List<Double>> with = new LinkedHashMap<>();
    Map<String, List<Double>> without = new LinkedHashMap<>();
    for (int round = 0; round < 2; round++) {
      boolean tunedFirst = round == 1;
      for (int k = 0; k < 2; k++) {
        boolean tuned = (k == 0) == tunedFirst;
        collect(child(sizes, repeat, tuned), tuned ? with : without);
      }
    }
    out.println();
    out.println("glibc malloc thresholds (child JVMs, 2 runs each, median ms per forward):");
    out.println(
        "| case | default malloc | "
            + MMAP
            + "="
            + MMAP_VALUE
            + " "
            + TRIM
            + "="
            + TRIM_VALUE
            + " | change |");
    out.println("|---|---|---|---|");
    for (String c : with.keySet()) {
      double a = best(without.get(c));
      double b = best(with.get(c));
      out.printf("| %s | %.1f | %.1f | %+.1f%% |%n", c, a, b, 100 * (b - a) / a);
    }
    out.println("load average after: " + Environment.loadAverage());
  }

  private static double best(List<Double> v) {
    return v == null ? Double.NaN : v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  private static void collect(List<String> lines, Map<String, List<Double>> into) {
    for (String line : lines) {
      String[] p = line.split(" ");
      into.computeIfAbsent(p[1], k -> new ArrayList<>()).add(Double.parseDouble(p[2]));
    }
  }

  private static List<String> child(List<String> sizes, int repeat, boolean tuned)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx2g",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                "io.cascadefarm.cli.FarmCommand",
                "bench",
                "net",
                "--child",
                "--repeat",
                Integer.toString(repeat),
                "--sizes",
                String.join(",", sizes)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().remove(MMAP);
    pb.environment().remove(TRIM);
    if (tuned) {
      pb.environment().put(MMAP, MMAP_VALUE);
      pb.environment().put(TRIM, TRIM_VALUE);
    }
    Process p = pb.start();
    List<String> results = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("RESULT ")) {
          results.add(line);
        }
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("bench child exited with " + p.exitValue() + ": " + cmd);
    }
    return results;
  }
}
