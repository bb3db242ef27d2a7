package io.cascadefarm.embedded;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Registry of the child processes this JVM started; one shutdown hook terminates the ones still
 * alive (SIGTERM, then SIGKILL after a grace period) so no broker outlives its parent.
 */
final class ChildProcesses {
  private static final Set<Process> ALIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ChildProcesses::destroyAll, "embedded-child-reaper"));
  }

  private ChildProcesses() {}

  static void register(Process process) {
    ALIVE.add(process);
  }

  static void unregister(Process process) {
    ALIVE.remove(process);
  }

  /** SIGTERM, wait up to {@code graceMillis}, then SIGKILL. Returns the exit code. */
  static int terminate(Process process, long graceMillis) {
    process.destroy();
    try {
      if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    unregister(process);
    return process.isAlive() ? -1 : process.exitValue();
  }

  private static void destroyAll() {
    ALIVE.forEach(Process::destroy);
    for (Process process : ALIVE) {
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
      }
    }
  }
}
