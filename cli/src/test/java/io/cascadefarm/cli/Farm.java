package io.cascadefarm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs {@code farm <args>} in-process; captures exit code, stdout and picocli's stderr. Shared by
 * the command tests of every package.
 */
public record Farm(int exitCode, String out, String err) {
  public static Farm run(String... args) {
    CommandLine cmd = FarmCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Farm(code, out.toString(), err.toString());
  }
}
