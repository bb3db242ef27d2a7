package io.cascadefarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FarmCommandTest {
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = FarmCommand.commandLine();
    cmd.setOut(new PrintWriter(new StringWriter(), true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void statusNeedsExactlyOneTarget() {
    assertEquals(1, run("status"));
    assertTrue(err.toString().contains("give exactly one of JOB or --batch ID"), err::toString);
  }

  @Test
  void unreachableFarmIsReportedWithTheUrlAndExitCodeOne() {
    assertEquals(1, run("status", "--api", "http://127.0.0.1:1", "some-job"));
    assertTrue(
        err.toString().contains("cannot reach the farm at http://127.0.0.1:1"), err::toString);
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertEquals(2, run("standalone", "--no-such-flag"));
    assertTrue(err.toString().contains("--no-such-flag"), err::toString);
  }

  @Test
  void negativeWorkersNameTheFlag() {
    assertEquals(1, run("standalone", "--workers", "-1", "--data-dir", "target/never"));
    assertTrue(err.toString().contains("--workers must be >= 0"), err::toString);
  }
}
