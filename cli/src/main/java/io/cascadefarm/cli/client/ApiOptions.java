package io.cascadefarm.cli.client;

import picocli.CommandLine.Option;

/**
 * The {@code --api} and {@code --api-key} options shared by the client commands (env {@code
 * FARM_API}, {@code FARM_API_KEY}).
 */
public final class ApiOptions {
  @Option(
      names = "--api",
      defaultValue = "${env:FARM_API:-http://localhost:8080}",
      description = "Base URL of the farm's API (env FARM_API; default: ${DEFAULT-VALUE})")
  String api;

  @Option(
      names = "--api-key",
      defaultValue = "${env:FARM_API_KEY}",
      description = "API key sent as `Authorization: Bearer` (env FARM_API_KEY; see farm keys)")
  String apiKey;

  /** The API key given, or null. */
  public String apiKey() {
    return apiKey == null || apiKey.isBlank() ? null : apiKey;
  }

  /** The API base URL. */
  public String api() {
    return api;
  }

  public ApiClient client() {
    return new ApiClient(api, apiKey);
  }
}
