package io.cascadefarm.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code farm bench}: benchmarks; {@code farm bench farm} measures the farm's own overhead, {@code
 * farm bench net} Stage C/B forwards.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks (not tests).",
    subcommands = {
      FarmBenchCommand.class,
      HostileBenchCommand.class,
      PollBenchCommand.class,
      io.cascadefarm.cli.net.NetBenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
