package io.cascadefarm.cli.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code farm models}: download, list and verify the Stable Cascade weights. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "Model weights: pull from Hugging Face, list what is present, verify it.",
    subcommands = {
      ModelsPullCommand.class,
      ModelsListCommand.class,
      ModelsVerifyCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ModelsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
