package io.cascadefarm.cli.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Machine context printed next to benchmark numbers: cores, load average, malloc settings. */
final class Environment {
  private Environment() {}

  static String loadAverage() {
    try {
      String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return p[0] + " " + p[1] + " " + p[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static String describe() {
    return String.format(
        "cores %d, load average %s, %s=%s %s=%s OMP_WAIT_POLICY=%s, max heap %d MB",
        Runtime.getRuntime().availableProcessors(),
        loadAverage(),
        EnvComparison.MMAP,
        System.getenv(EnvComparison.MMAP),
        EnvComparison.TRIM,
        System.getenv(EnvComparison.TRIM),
        System.getenv("OMP_WAIT_POLICY"),
        Runtime.getRuntime().maxMemory() >> 20);
  }
}
