package io.cascadefarm.cli.keys;

import io.cascadefarm.common.port.ApiKey;
import io.cascadefarm.common.port.Scopes;
import io.cascadefarm.db.Database;
import io.cascadefarm.dispatcher.auth.ApiKeySecrets;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farm keys create --tenant T [--name N] [--scopes S] [--quiet]}: prints the new secret
 * once.
 */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Creates an API key for a tenant and prints its secret (shown only this once).")
public final class KeysCreateCommand implements Callable<Integer> {
  static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  @Spec CommandSpec spec;
  @Mixin KeyStoreOptions store;

  @Option(
      names = "--tenant",
      required = true,
      description = "Tenant the key acts for: 1-64 of A-Z a-z 0-9 . _ - (first a letter or digit)")
  String tenant;

  @Option(names = "--name", defaultValue = "unnamed", description = "A label, e.g. ci or laptop")
  String name;

  @Option(
      names = "--scopes",
      defaultValue = "submit,read",
      description =
          "Comma-separated scopes: submit (create, cancel, retry, upload), read (the tenant's"
              + " jobs, batches, events, queue), admin (workers registry, every tenant's queues);"
              + " default: ${DEFAULT-VALUE}")
  String scopes;

  @Option(names = "--quiet", description = "Print only the secret (for scripts)")
  boolean quiet;

  @Override
  public Integer call() {
    if (!TENANT.matcher(tenant).matches()) {
      throw new IllegalArgumentException(
          "--tenant must be 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit, got '"
              + tenant
              + "'");
    }
    if (name.length() > 200 || name.indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException("--name must be at most 200 characters without NUL");
    }
    Set<String> granted;
    try {
      granted = Scopes.parse(scopes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--scopes: " + e.getMessage(), e);
    }
    String secret = ApiKeySecrets.generate();
    ApiKey key;
    try (Database db = store.open()) {
      key = db.jobStore().createKey(tenant, name, ApiKeySecrets.sha256Hex(secret));
      db.keyScopes().setScopes(key.id(), granted);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (quiet) {
      out.println(secret);
    } else {
      out.println("id      " + key.id());
      out.println("tenant  " + key.tenant());
      out.println("name    " + key.name());
      out.println("scopes  " + String.join(",", Scopes.ordered(granted)));
      out.println("secret  " + secret);
      out.println("The secret is shown only now (the farm keeps its SHA-256). Use it as");
      out.println("  Authorization: Bearer " + secret + "   or   FARM_API_KEY=" + secret);
    }
    out.flush();
    return 0;
  }
}
