package io.cascadefarm.dispatcher.http;

import io.vertx.core.http.HttpServerRequest;

/**
 * Decides which tenant a request acts for. Authentication (API keys) plugs in here; until then
 * every request is the {@link #DEFAULT_TENANT}.
 */
@FunctionalInterface
public interface TenantResolver {
  String DEFAULT_TENANT = "default";

  /** The tenant, or null to refuse the request with 401. */
  String tenantOf(HttpServerRequest request);

  static TenantResolver single(String tenant) {
    return r -> tenant;
  }
}
