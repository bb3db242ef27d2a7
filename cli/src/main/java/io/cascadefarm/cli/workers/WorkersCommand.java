package io.cascadefarm.cli.workers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code farm workers}: the parent of list, drain and release. */
@Command(
    name = "workers",
    mixinStandardHelpOptions = true,
    description = {
      "The workers registry over the API: needs an API key with the admin scope",
      "(farm keys create --scopes submit,read,admin)."
    },
    subcommands = {
      WorkersListCommand.class,
      WorkersDrainCommand.class,
      WorkersReleaseCommand.class
    })
public final class WorkersCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
