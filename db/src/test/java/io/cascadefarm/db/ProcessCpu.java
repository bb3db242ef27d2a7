package io.cascadefarm.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time used so far by this JVM and by every local {@code postgres} process (Linux {@code
 * /proc}), so a timing can be reported as work done rather than wall time on a shared machine.
 * Returns -1 where {@code /proc} is unavailable.
 */
final class ProcessCpu {
  private static final double TICKS_PER_MS = 100.0 / 1000.0; // USER_HZ = 100 on Linux

  private ProcessCpu() {}

  static long jvmMillis() {
    return ticksOf(Path.of("/proc/self/stat"));
  }

  static long postgresMillis() {
    long total = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        if (p.getFileName().toString().chars().allMatch(Character::isDigit)
            && "postgres".equals(comm(p))) {
          total += Math.max(0, ticksOf(p.resolve("stat")));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return total;
  }

  private static String comm(Path proc) {
    try {
      return Files.readString(proc.resolve("comm")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static long ticksOf(Path stat) {
    try {
      String s = Files.readString(stat);
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
      return Math.round(ticks / TICKS_PER_MS);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
