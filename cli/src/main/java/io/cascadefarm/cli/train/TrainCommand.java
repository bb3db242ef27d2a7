package io.cascadefarm.cli.train;

import picocli.CommandLine.Command;

/** {@code farm train}: groups the training job commands. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Training jobs (run in the farm's training lane).",
    subcommands = {TrainLoraCommand.class, TrainFinetuneCommand.class})
public final class TrainCommand {}
