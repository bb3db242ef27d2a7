package io.cascadefarm.cli.client;

import picocli.CommandLine.Option;

/** The {@code --api} option shared by the client commands (env {@code FARM_API}). */
public final class ApiOptions {
  @Option(
      names = "--api",
      defaultValue = "${env:FARM_API:-http://localhost:8080}",
      description = "Base URL of the farm's API (env FARM_API; default: ${DEFAULT-VALUE})")
  String api;

  public ApiClient client() {
    return new ApiClient(api);
  }
}
