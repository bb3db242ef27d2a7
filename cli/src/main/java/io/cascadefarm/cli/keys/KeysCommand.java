package io.cascadefarm.cli.keys;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code farm keys}: the parent of create, list and revoke. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = {
      "Manages API keys (one tenant per key) directly in the farm's PostgreSQL.",
      "Clients send a key as `Authorization: Bearer <key>` (farm submit --api-key / FARM_API_KEY)."
    },
    subcommands = {KeysCreateCommand.class, KeysListCommand.class, KeysRevokeCommand.class})
public final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
