package io.cascadefarm.dispatcher.auth;

import io.cascadefarm.common.config.TenantSettings;
import io.cascadefarm.common.port.ApiKeyStore;
import io.cascadefarm.dispatcher.http.TenantResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the tenant resolver of a real dispatcher from {@code farm.auth.enabled}. */
public final class AuthSetup {
  private static final Logger LOG = LoggerFactory.getLogger(AuthSetup.class);

  private AuthSetup() {}

  /**
   * API keys from {@code keys} when authentication is on; otherwise every request is the tenant
   * {@code default}, which is logged as a warning.
   */
  public static TenantResolver resolver(TenantSettings settings, ApiKeyStore keys) {
    return resolver(settings, keys, null);
  }

  /**
   * As {@link #resolver(TenantSettings, ApiKeyStore)}, with the keys' scopes from {@code scopes}.
   */
  public static TenantResolver resolver(
      TenantSettings settings, ApiKeyStore keys, io.cascadefarm.common.port.ApiKeyScopes scopes) {
    if (settings.authEnabled()) {
      return new ApiKeyAuthenticator(keys, scopes, settings.keyCacheTtl());
    }
    LOG.warn(
        "AUTHENTICATION IS OFF ({}=false): anyone who reaches the API acts as tenant '{}'",
        TenantSettings.AUTH_ENABLED.name(),
        TenantResolver.DEFAULT_TENANT);
    return TenantResolver.single(TenantResolver.DEFAULT_TENANT);
  }
}
