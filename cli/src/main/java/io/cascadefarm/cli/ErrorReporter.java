package io.cascadefarm.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failed command's message as {@code farm <command>: <message>} (with its causes) instead
 * of a stack trace, and returns exit code 1. {@code FARM_DEBUG=1} prints the stack trace too.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    StringBuilder s = new StringBuilder(cmd.getCommandSpec().qualifiedName()).append(": ");
    s.append(e.getMessage() == null ? e.toString() : e.getMessage());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !s.toString().contains(c.getMessage())) {
        s.append("\n  caused by: ").append(c.getMessage());
      }
    }
    cmd.getErr().println(s);
    if ("1".equals(System.getenv("FARM_DEBUG"))) {
      e.printStackTrace(cmd.getErr());
    }
    return 1;
  }
}
