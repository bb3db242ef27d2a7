package io.cascadefarm.cli.keys;

import io.cascadefarm.common.port.ApiKey;
import io.cascadefarm.db.Database;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code farm keys list}: every key's id, tenant, name, creation and revocation; no secrets. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Lists API keys (id, tenant, name, created, revoked); secrets are never shown.")
public final class KeysListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KeyStoreOptions store;

  @Override
  public Integer call() {
    List<ApiKey> keys;
    try (Database db = store.open()) {
      keys = db.jobStore().listKeys();
    }
    PrintWriter out = spec.commandLine().getOut();
    String row = "%-36s  %-20s  %-16s  %-24s  %s%n";
    out.printf(Locale.ROOT, row, "ID", "TENANT", "NAME", "CREATED", "REVOKED");
    for (ApiKey k : keys) {
      out.printf(
          Locale.ROOT,
          row,
          k.id(),
          k.tenant(),
          k.name(),
          k.createdAt(),
          k.revoked() ? k.revokedAt().toString() : "-");
    }
    out.flush();
    return 0;
  }
}
