package io.cascadefarm.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A Java main run as a separate OS process with this JVM's classpath, its output in {@code
 * <name>.log}. {@link #sigterm()} and {@link #sigkill()} send the real signals. Every child still
 * alive when this JVM exits is SIGKILLed by a shutdown hook ({@link #killAll()} does it at once).
 */
final class ChildJvm {
  private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ChildJvm::killAll, "faults-kill-children"));
  }

  final String name;
  final Path log;
  private final Process process;

  private ChildJvm(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  static ChildJvm start(
      String name, Path dir, Class<?> main, List<String> jvmOptions, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.addAll(jvmOptions);
    cmd.add(main.getName());
    cmd.addAll(args);
    try {
      Files.createDirectories(dir);
      Path log = dir.resolve(name + ".log");
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      ChildJvm child = new ChildJvm(name, log, p);
      LIVE.add(child);
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM: the process drains and exits by itself. */
  void sigterm() {
    process.destroy();
  }

  /** SIGKILL, and waits until the process is gone. */
  void sigkill() {
    process.destroyForcibly();
    try {
      process.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LIVE.remove(this);
  }

  /** The exit code, or null if the process is still running after {@code limit}. */
  Integer awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      return null;
    }
    LIVE.remove(this);
    return process.exitValue();
  }

  /** SIGKILLs every child started by this JVM that is still alive. */
  static void killAll() {
    for (ChildJvm c : List.copyOf(LIVE)) {
      c.sigkill();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + log + ")";
  }
}
