package io.cascadefarm.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker in a child JVM ({@link KafkaChildMain} → {@code kafka.Kafka}) started with this JVM's
 * classpath. Its output goes to a log file; it exits on SIGTERM, on SIGKILL, and when this JVM dies
 * (its stdin closes).
 */
final class ChildProcessKafkaBroker implements KafkaBroker {
  private static final long STOP_GRACE_MILLIS = 20_000;
  private final Path config;
  private final Path logFile;
  private final List<String> jvmOptions;
  private Process process;

  ChildProcessKafkaBroker(Path config, Path logFile, List<String> jvmOptions) {
    this.config = config;
    this.logFile = logFile;
    this.jvmOptions = jvmOptions;
  }

  @Override
  public void start() {
    ProcessBuilder builder = new ProcessBuilder(command());
    builder.redirectErrorStream(true);
    builder.redirectOutput(Redirect.appendTo(logFile.toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Kafka child JVM " + builder.command(), e);
    }
    ChildProcesses.register(process);
  }

  private List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(KafkaChildMain.class.getName());
    cmd.add(config.toAbsolutePath().toString());
    return cmd;
  }

  @Override
  public void stop() {
    if (process != null) {
      ChildProcesses.terminate(process, STOP_GRACE_MILLIS);
      process = null;
    }
  }

  @Override
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ChildProcesses.unregister(process);
      process = null;
    }
  }

  @Override
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  @Override
  public String diagnostics() {
    return "broker log " + logFile + " ends with:\n" + Dirs.tail(logFile, 4000);
  }
}
