package io.cascadefarm.cli;

import io.cascadefarm.cli.bench.BenchCommand;
import io.cascadefarm.cli.client.CancelCommand;
import io.cascadefarm.cli.client.RetryCommand;
import io.cascadefarm.cli.client.StatusCommand;
import io.cascadefarm.cli.client.SubmitCommand;
import io.cascadefarm.cli.farm.DispatcherCommand;
import io.cascadefarm.cli.farm.StandaloneCommand;
import io.cascadefarm.cli.farm.WorkerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root of the {@code farm} command; each subcommand lives in its own class. */
@Command(
    name = "farm",
    mixinStandardHelpOptions = true,
    version = "Cascade Farm 0.1.0",
    description = "A render farm for Stable Cascade: submit, render and track image jobs at scale.",
    subcommands = {
      StandaloneCommand.class,
      DispatcherCommand.class,
      WorkerCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      RetryCommand.class,
      CancelCommand.class,
      io.cascadefarm.cli.client.JobsCommand.class,
      io.cascadefarm.cli.client.BatchesCommand.class,
      io.cascadefarm.cli.client.DownloadCommand.class,
      io.cascadefarm.cli.client.LorasCommand.class,
      io.cascadefarm.cli.train.TrainCommand.class,
      io.cascadefarm.cli.keys.KeysCommand.class,
      io.cascadefarm.cli.workers.WorkersCommand.class,
      BenchCommand.class,
      io.cascadefarm.cli.net.NetCommand.class,
      io.cascadefarm.cli.local.GenerateCommand.class,
      io.cascadefarm.cli.local.ModelsCommand.class,
      io.cascadefarm.cli.deploy.DeployCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FarmCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line (tests call this too). */
  public static CommandLine commandLine() {
    return new CommandLine(new FarmCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new ErrorReporter());
  }

  public static void main(String[] args) {
    LogDefaults.apply();
    System.exit(commandLine().execute(args));
  }
}
