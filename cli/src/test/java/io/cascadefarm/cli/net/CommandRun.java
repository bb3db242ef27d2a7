package io.cascadefarm.cli.net;

import io.cascadefarm.cli.FarmCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code farm <args>} in-process and captures exit code, stdout and stderr. */
record CommandRun(int exitCode, String out, String err) {
  static CommandRun of(String... args) {
    CommandLine cmd = FarmCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new CommandRun(code, out.toString(), err.toString());
  }
}
