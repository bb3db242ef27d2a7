package io.cascadefarm.dispatcher.auth;

import io.cascadefarm.common.port.Scopes;
import java.util.Set;

/** Who a request acts as: a tenant and the scopes of its API key ({@link Scopes}). */
public record Principal(String tenant, Set<String> scopes) {
  public Principal {
    scopes = Set.copyOf(scopes);
  }

  /** Every scope: the one tenant of a farm running without authentication. */
  public static Principal everything(String tenant) {
    return new Principal(tenant, Set.copyOf(Scopes.ALL));
  }

  public boolean has(String scope) {
    return scopes.contains(scope);
  }
}
