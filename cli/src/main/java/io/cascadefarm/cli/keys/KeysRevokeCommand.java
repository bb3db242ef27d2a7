package io.cascadefarm.cli.keys;

import io.cascadefarm.db.Database;
import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code farm keys revoke ID}: the key stops working within {@code farm.auth.key-cache-ttl}
 * (default 30 s) on every dispatcher. Exit code 1 when there is no such active key.
 */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description =
        "Revokes an API key by id (dispatchers honour it within farm.auth.key-cache-ttl).")
public final class KeysRevokeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KeyStoreOptions store;

  @Parameters(index = "0", paramLabel = "ID", description = "The key's id (farm keys list)")
  String id;

  @Override
  public Integer call() {
    UUID key;
    try {
      key = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "ID must be a key id as farm keys list shows, got '" + id + "'");
    }
    boolean revoked;
    try (Database db = store.open()) {
      revoked = db.jobStore().revokeKey(key);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!revoked) {
      spec.commandLine().getErr().println("farm keys revoke: no active key " + key);
      return 1;
    }
    out.println("revoked " + key);
    out.flush();
    return 0;
  }
}
