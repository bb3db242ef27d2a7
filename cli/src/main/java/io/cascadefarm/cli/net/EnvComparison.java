package io.cascadefarm.cli.net;

import io.cascadefarm.cascade.nn.OneDnnIsa;
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
 * Times the same cases in child JVMs (same java binary and classpath) under several native runtime
 * environments, e.g. ({@link #RUNTIME}) default, glibc's {@code MALLOC_MMAP_THRESHOLD_}/{@code
 * MALLOC_TRIM_THRESHOLD_}, and {@code OMP_WAIT_POLICY=PASSIVE}, or ({@link #ONEDNN_ISA}) the farm's
 * oneDNN cap against libtorch's uncapped kernels. glibc, OpenMP and oneDNN read these once per
 * process, hence child processes. Rounds rotate the order so that load drift on a shared machine
 * hits every variant; the best (minimum) median per variant is reported, with its ratio to the
 * first variant, measured in the same run.
 */
final class EnvComparison {
  static final String MMAP = "MALLOC_MMAP_THRESHOLD_";
  static final String TRIM = "MALLOC_TRIM_THRESHOLD_";

  /** The values tried: glibc's maximum mmap threshold (32 MiB on 64-bit) and no trimming. */
  static final String MMAP_VALUE = "33554432";

  static final String TRIM_VALUE = "4294967295";

  /** Native runtime settings: the baseline is the process default. */
  static final Map<String, Map<String, String>> RUNTIME = runtimeVariants();

  /**
   * oneDNN kernels: the baseline is libtorch's default (no cap), then the farm's cap; both with the
   * launcher's {@code OMP_WAIT_POLICY=PASSIVE}.
   */
  static final Map<String, Map<String, String>> ONEDNN_ISA = isaVariants();

  /** Every variable a variant may set; children start with none of them. */
  private static final List<String> CONTROLLED =
      List.of(MMAP, TRIM, "OMP_WAIT_POLICY", OneDnnIsa.ENV, OneDnnIsa.LEGACY_ENV);

  private EnvComparison() {}

  private static Map<String, Map<String, String>> isaVariants() {
    Map<String, Map<String, String>> v = new LinkedHashMap<>();
    String omp = "OMP_WAIT_POLICY";
    v.put(OneDnnIsa.ENV + "=ALL (libtorch default)", Map.of(OneDnnIsa.ENV, "ALL", omp, "PASSIVE"));
    v.put(
        OneDnnIsa.ENV + "=" + OneDnnIsa.FARM_DEFAULT + " (farm default)",
        Map.of(OneDnnIsa.ENV, OneDnnIsa.FARM_DEFAULT, omp, "PASSIVE"));
    return v;
  }

  private static Map<String, Map<String, String>> runtimeVariants() {
    Map<String, Map<String, String>> v = new LinkedHashMap<>();
    v.put("default", Map.of());
    v.put(
        MMAP + "=" + MMAP_VALUE + " " + TRIM + "=" + TRIM_VALUE,
        Map.of(MMAP, MMAP_VALUE, TRIM, TRIM_VALUE));
    v.put("OMP_WAIT_POLICY=PASSIVE", Map.of("OMP_WAIT_POLICY", "PASSIVE"));
    return v;
  }

  static void run(
      Map<String, Map<String, String>> variants, List<String> sizes, int repeat, PrintStream out)
      throws IOException, InterruptedException {
    List<String> labels = new ArrayList<>(variants.keySet());
    String baseline = labels.get(0);
    Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
    Map<String, Map<String, List<Double>>> faults = new LinkedHashMap<>();
    Map<String, Map<String, List<Double>>> cpu = new LinkedHashMap<>();
    labels.forEach(l -> results.put(l, new LinkedHashMap<>()));
    labels.forEach(l -> faults.put(l, new LinkedHashMap<>()));
    labels.forEach(l -> cpu.put(l, new LinkedHashMap<>()));
    for (int round = 0; round < 2; round++) {
      for (int k = 0; k < labels.size(); k++) {
        String label = labels.get((k + round) % labels.size());
        List<String> lines = child(sizes, repeat, variants.get(label));
        collect(lines, 2, results.get(label));
        collect(lines, 4, faults.get(label));
        collect(lines, 5, cpu.get(label));
      }
    }
    out.println();
    out.println(
        "native runtime settings (child JVMs, 2 runs each): best median ms per forward"
            + " (change against "
            + baseline
            + ") [fewest minor page faults per forward]");
    out.println("| case | " + String.join(" | ", labels) + " |");
    out.println("|---|" + "---|".repeat(labels.size()));
    for (String c : results.get(baseline).keySet()) {
      StringBuilder row = new StringBuilder("| " + c);
      double base = best(results.get(baseline).get(c));
      for (String l : labels) {
        double v = best(results.get(l).get(c));
        row.append(String.format(" | %.1f", v));
        if (!l.equals(baseline)) {
          row.append(String.format(" (%+.0f%%)", 100 * (v - base) / base));
        }
        row.append(String.format(" [%.0f]", best(faults.get(l).get(c))));
      }
      out.println(row.append(" |"));
    }
    out.println();
    out.println(
        "the same runs in CPU time (user + system of the child, all threads; steadier than wall"
            + " time on a shared host): best ms per forward (change against "
            + baseline
            + ")");
    out.println("| case | " + String.join(" | ", labels) + " |");
    out.println("|---|" + "---|".repeat(labels.size()));
    for (String c : cpu.get(baseline).keySet()) {
      StringBuilder row = new StringBuilder("| " + c);
      double base = best(cpu.get(baseline).get(c));
      for (String l : labels) {
        double v = best(cpu.get(l).get(c));
        row.append(String.format(" | %.0f", v));
        if (!l.equals(baseline)) {
          row.append(String.format(" (%+.0f%%)", 100 * (v - base) / base));
        }
      }
      out.println(row.append(" |"));
    }
    out.println("load average after: " + Environment.loadAverage());
  }

  private static double best(List<Double> v) {
    return v == null ? Double.NaN : v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  private static void collect(List<String> lines, int field, Map<String, List<Double>> into) {
    for (String line : lines) {
      String[] p = line.split(" ");
      into.computeIfAbsent(p[1], k -> new ArrayList<>()).add(Double.parseDouble(p[field]));
    }
  }

  private static List<String> child(List<String> sizes, int repeat, Map<String, String> env)
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
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    CONTROLLED.forEach(pb.environment()::remove);
    pb.environment().putAll(env);
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
