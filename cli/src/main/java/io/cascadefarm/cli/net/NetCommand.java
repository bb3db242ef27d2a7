package io.cascadefarm.cli.net;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code farm net}: network-level tools shared by parity tests and humans. */
@Command(
    name = "net",
    mixinStandardHelpOptions = true,
    description =
        "Network tools: run parity fixtures, list checkpoint keys, show the engine, check numerics.",
    subcommands = {
      NetRunCommand.class,
      NetKeysCommand.class,
      EngineInfoCommand.class,
      NetSelfCheckCommand.class,
      CommandLine.HelpCommand.class
    })
public final class NetCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
