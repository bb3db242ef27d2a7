package io.cascadefarm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root of the {@code farm} command; each subcommand lives in its own class. */
@Command(
    name = "farm",
    mixinStandardHelpOptions = true,
    version = "Cascade Farm 0.1.0",
    description = "A render farm for Stable Cascade: submit, render and track image jobs at scale.",
    subcommands = {CommandLine.HelpCommand.class})
public final class FarmCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line (tests call this too). */
  public static CommandLine commandLine() {
    return new CommandLine(new FarmCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
