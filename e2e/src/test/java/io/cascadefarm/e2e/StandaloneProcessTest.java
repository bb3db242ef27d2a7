package io.cascadefarm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm standalone --workers 1} as its own OS process, as a user runs it: it prints the API
 * URL, renders jobs posted over HTTP and through the client commands ({@code submit}, {@code status
 * --watch}, {@code cancel}), writes {@code farm.properties}, and on SIGTERM drains and exits 0.
 */
class StandaloneProcessTest {
  @TempDir Path dataDir;
  private Process process;

  @AfterEach
  void killLeftovers() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void standaloneRendersJobsAndExitsZeroOnSigterm() throws Exception {
    int http = freePort();
    Path log = dataDir.resolve("standalone.log");
    process = start(log, http);
    awaitLine(log, "Cascade Farm is running", Duration.ofMinutes(10));
    assertTrue(Files.readString(log).contains("http://localhost:" + http + "/v1"));
    assertTrue(Files.isRegularFile(dataDir.resolve("farm/farm.properties")));

    FarmApi farm = new FarmApi("http://localhost:" + http);
    String batch = farm.submitQuickTinyBatch(3, 64, 96);
    JsonNode done = farm.awaitDone(batch, Duration.ofMinutes(10));
    assertEquals(3, done.path("counts").path("succeeded").asInt(), () -> done.toString());
    for (String id : farm.jobIds(batch)) {
      farm.assertSucceededWithPng(id, 64, 96);
    }

    String api = "http://localhost:" + http;
    Cli submitted =
        Cli.run(
            "submit",
            "--api",
            api,
            "--prompt",
            "a cli cat",
            "--model",
            "tiny",
            "--width",
            "128",
            "--height",
            "64",
            "--seed",
            "5",
            "--prior-steps",
            "2",
            "--decoder-steps",
            "2");
    assertEquals(0, submitted.exitCode(), submitted::err);
    String job = submitted.out().strip();
    Cli watched = Cli.run("status", "--api", api, job, "--watch");
    assertEquals(0, watched.exitCode(), () -> watched.out() + watched.err());
    assertTrue(watched.out().contains("image 128x64 seed 5"), watched::out);
    farm.assertSucceededWithPng(job, 128, 64);
    Cli batchWatch = Cli.run("status", "--api", api, "--batch", batch, "--watch");
    assertEquals(0, batchWatch.exitCode(), batchWatch::err);
    assertTrue(batchWatch.out().contains("3/3"), batchWatch::out);
    Cli cancel = Cli.run("cancel", "--api", api, job);
    assertEquals(1, cancel.exitCode(), "a succeeded job cannot be cancelled");
    assertTrue(cancel.err().contains("409"), cancel::err);

    process.destroy(); // SIGTERM
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "standalone did not stop after SIGTERM");
    assertEquals(0, process.exitValue(), () -> tail(log));
    assertTrue(Files.readString(log).contains("stopped cleanly"), () -> tail(log));
  }

  private Process start(Path log, int http) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.cascadefarm.cli.FarmCommand");
    cmd.addAll(
        List.of(
            "standalone",
            "--data-dir",
            dataDir.resolve("farm").toString(),
            "--workers",
            "1",
            "--port",
            String.valueOf(http),
            "--kafka-port",
            String.valueOf(freePort()),
            "--postgres-port",
            String.valueOf(freePort()),
            "--s3-port",
            String.valueOf(freePort()),
            "--set",
            Models.DIR_KEY + "=" + Models.DIR));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private void awaitLine(Path log, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(log) || !Files.readString(log).contains(text)) {
      if (!process.isAlive()) {
        fail("standalone exited with " + process.exitValue() + ":\n" + tail(log));
      }
      if (System.nanoTime() > deadline) {
        fail("no '" + text + "' after " + timeout + ":\n" + tail(log));
      }
      Thread.sleep(200);
    }
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.length() < 4000 ? s : s.substring(s.length() - 4000);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
