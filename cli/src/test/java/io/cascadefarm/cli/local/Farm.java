package io.cascadefarm.cli.local;

import io.cascadefarm.cli.FarmCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code farm <args>} in-process; captures exit code, stdout and picocli's stderr. */
record Farm(int exitCode, String out, String err) {
  static Farm run(String... args) {
    CommandLine cmd = FarmCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Farm(code, out.toString(), err.toString());
  }
}
