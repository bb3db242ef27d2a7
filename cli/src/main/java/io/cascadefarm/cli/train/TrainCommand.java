package io.cascadefarm.cli.train;

import picocli.CommandLine.Command;

/** {@code farm train}: groups the training job commands. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Training jobs (run in the farm's training lane).",
    subcommands = {TrainLoraCommand.class})
public final class TrainCommand {}
