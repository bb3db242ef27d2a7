package io.cascadefarm.common.config;

import java.time.Duration;
import java.util.List;

/**
 * Connection limits of the dispatcher's HTTP server, against slow or greedy clients.
 *
 * @param idleTimeout a connection with no byte read or written for this long is closed
 * @param headerTimeout a connection without a request in progress (headers not yet complete, or
 *     idle between keep-alive requests) for this long is closed: a client dripping header bytes
 *     cannot hold it
 * @param maxConnections open connections beyond this are closed at once
 * @param maxStreamsPerTenant open event streams (SSE) one tenant may hold on one dispatcher
 */
public record HttpSettings(
    Duration idleTimeout, Duration headerTimeout, int maxConnections, int maxStreamsPerTenant) {
  public static final ConfigKey IDLE_TIMEOUT =
      new ConfigKey(
          "farm.http.idle-timeout",
          "30s",
          "Close an HTTP connection with no byte read or written for this long");
  public static final ConfigKey HEADER_TIMEOUT =
      new ConfigKey(
          "farm.http.header-timeout",
          "20s",
          "Close an HTTP connection that has no request in progress for this long (slow headers)");
  public static final ConfigKey MAX_CONNECTIONS =
      new ConfigKey(
          "farm.http.max-connections", "1024", "Most open HTTP connections per dispatcher");
  public static final ConfigKey MAX_STREAMS_PER_TENANT =
      new ConfigKey(
          "farm.api.max-streams-per-tenant",
          "32",
          "Most open event streams (SSE) one tenant may hold on one dispatcher");

  public static final List<ConfigKey> KEYS =
      List.of(IDLE_TIMEOUT, HEADER_TIMEOUT, MAX_CONNECTIONS, MAX_STREAMS_PER_TENANT);

  public static HttpSettings from(ConfigSource c) {
    return new HttpSettings(
        c.getDuration(IDLE_TIMEOUT),
        c.getDuration(HEADER_TIMEOUT),
        c.getInt(MAX_CONNECTIONS),
        c.getInt(MAX_STREAMS_PER_TENANT));
  }
}
