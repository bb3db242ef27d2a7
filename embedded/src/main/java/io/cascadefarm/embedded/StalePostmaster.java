package io.cascadefarm.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a PostgreSQL server left running on a data directory by a previous JVM that died without
 * its shutdown hooks (e.g. SIGKILL): it reads {@code postmaster.pid}, and if that process is alive
 * and is a postgres binary, sends SIGTERM and waits.
 */
final class StalePostmaster {
  private static final Logger LOG = LoggerFactory.getLogger(StalePostmaster.class);

  private StalePostmaster() {}

  static void stopIfRunning(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    Optional<ProcessHandle> process = readPid(pidFile).flatMap(ProcessHandle::of);
    if (process.isEmpty() || !isPostgres(process.get())) {
      return;
    }
    LOG.warn("stopping a PostgreSQL server left running on {} (pid {})", dataDir, process.get());
    process.get().destroy();
    try {
      process.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "a PostgreSQL server (pid "
              + process.get().pid()
              + ") still runs on "
              + dataDir
              + " and did not stop; stop it by hand",
          e);
    }
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean isPostgres(ProcessHandle process) {
    return process.info().command().map(c -> c.endsWith("/postgres")).orElse(false);
  }
}
