package io.cascadefarm.cascade.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process from {@code /proc/self/status}: {@code VmRSS} (now) and {@code
 * VmHWM} (peak since start, or since the last {@link #resetPeak()}). Values in bytes; -1 where
 * /proc is unavailable.
 */
public final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ProcessMemory() {}

  public static long rss() {
    return field("VmRSS:");
  }

  public static long peakRss() {
    return field("VmHWM:");
  }

  /** Resets VmHWM to the current RSS (writes 5 to /proc/self/clear_refs); false if refused. */
  public static boolean resetPeak() {
    try {
      Files.writeString(CLEAR_REFS, "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Minor page faults of this process so far ({@code /proc/self/stat} field 10), or -1. */
  public static long minorFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[7]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU time of this process so far, user + system, in milliseconds ({@code /proc/self/stat} fields
   * 14 and 15 at 100 ticks per second), or -1. Unlike wall time it hardly grows when other
   * processes compete for the cores, which makes it the steadier measure on a shared host.
   */
  public static long cpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(name)) {
          String[] parts = line.substring(name.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
