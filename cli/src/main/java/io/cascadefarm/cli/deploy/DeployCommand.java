package io.cascadefarm.cli.deploy;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code farm deploy}: the parent of env and gpus. */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description = {
      "Files for running the farm with Docker Compose (docker-compose.yml in the repository):",
      "  farm deploy env > .env                      random secrets and the compose profile",
      "  farm deploy gpus --count 4 > compose.gpus.yml   one worker per GPU on a multi-GPU host"
    },
    subcommands = {DeployEnvCommand.class, DeployGpusCommand.class, CommandLine.HelpCommand.class})
public final class DeployCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
