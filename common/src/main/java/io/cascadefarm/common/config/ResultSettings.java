package io.cascadefarm.common.config;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How clients reach result images and how long results are kept.
 *
 * <ul>
 *   <li>{@code publicEndpoint}: the S3 endpoint presigned URLs are signed for, i.e. the address a
 *       client can reach (e.g. {@code https://s3.example.com}); empty means {@code
 *       farm.s3.endpoint}, which is right only when clients share the farm's network.
 *   <li>{@code delivery}: {@code presign} (result URLs are presigned S3 URLs) or {@code proxy}
 *       (result URLs point at {@code /v1/jobs/{id}/images/{n}} on the API, which streams the PNG
 *       from S3 behind the API key: for deployments that must not expose S3 at all).
 *   <li>{@code ttl}: results older than this (since the job finished) are deleted from S3 by the
 *       dispatcher's sweeper; the job row stays, marked expired. Zero keeps results for ever.
 *       {@code tenantTtl} overrides it per tenant.
 * </ul>
 */
public record ResultSettings(
    String publicEndpoint,
    Delivery delivery,
    Duration ttl,
    Map<String, Duration> tenantTtl,
    Duration sweepInterval) {

  /** How result images reach clients. */
  public enum Delivery {
    PRESIGN,
    PROXY;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final ConfigKey PUBLIC_ENDPOINT =
      new ConfigKey(
          "farm.s3.public-endpoint",
          "",
          "S3 endpoint presigned result URLs are signed for, as clients reach it (empty:"
              + " farm.s3.endpoint)");
  public static final ConfigKey DELIVERY =
      new ConfigKey(
          "farm.results.delivery",
          "presign",
          "How clients get result images: presign (presigned S3 URLs) or proxy (the API streams"
              + " them at /v1/jobs/{id}/images/{n}, behind the API key; S3 stays private)");
  public static final ConfigKey TTL =
      new ConfigKey(
          "farm.results.ttl",
          "0",
          "How long results are kept after a job finished (e.g. 30d, 12h); the sweeper deletes"
              + " older result objects and marks the job expired; 0: for ever");
  public static final ConfigKey TENANT_TTL =
      new ConfigKey(
          "farm.results.tenant-ttl",
          "",
          "Per-tenant result lifetimes overriding farm.results.ttl, e.g. acme=7d,trial=1h (0:"
              + " for ever)");
  public static final ConfigKey SWEEP_INTERVAL =
      new ConfigKey(
          "farm.results.sweep-interval",
          "1m",
          "How often the result sweeper looks for expired results");

  public static final java.util.List<ConfigKey> KEYS =
      java.util.List.of(PUBLIC_ENDPOINT, DELIVERY, TTL, TENANT_TTL, SWEEP_INTERVAL);

  public ResultSettings {
    tenantTtl = Map.copyOf(tenantTtl);
    if (!publicEndpoint.isEmpty()) {
      URI u;
      try {
        u = URI.create(publicEndpoint);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(PUBLIC_ENDPOINT.name() + " is not a URL: " + publicEndpoint);
      }
      if (u.getScheme() == null
          || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null) {
        throw new ConfigException(
            PUBLIC_ENDPOINT.name() + " must be an http(s) URL with a host, got " + publicEndpoint);
      }
    }
    if (sweepInterval.isNegative() || sweepInterval.isZero()) {
      throw new ConfigException(SWEEP_INTERVAL.name() + " must be positive, got " + sweepInterval);
    }
  }

  /** Defaults: presigned URLs for the internal endpoint, results kept for ever. */
  public static ResultSettings defaults() {
    return from(ConfigSource.of(Map.of()));
  }

  public static ResultSettings from(ConfigSource c) {
    String delivery = c.get(DELIVERY).trim().toLowerCase(Locale.ROOT);
    Delivery d;
    if (delivery.equals("presign")) {
      d = Delivery.PRESIGN;
    } else if (delivery.equals("proxy")) {
      d = Delivery.PROXY;
    } else {
      throw new ConfigException(
          DELIVERY.name() + " must be presign or proxy, got '" + c.get(DELIVERY) + "'");
    }
    return new ResultSettings(
        c.get(PUBLIC_ENDPOINT).trim(),
        d,
        lifetime(TTL.name(), c.get(TTL)),
        tenantTtl(c.get(TENANT_TTL)),
        c.getDuration(SWEEP_INTERVAL));
  }

  /** The endpoint presigned URLs are signed for: the public one, else {@code internal}. */
  public String presignEndpoint(String internal) {
    return publicEndpoint.isEmpty() ? internal : publicEndpoint;
  }

  /** The lifetime of {@code tenant}'s results (zero: kept for ever). */
  public Duration ttlOf(String tenant) {
    return tenantTtl.getOrDefault(tenant, ttl);
  }

  /** True when some tenant's results expire (the sweeper has work). */
  public boolean expires() {
    return !ttl.isZero() || tenantTtl.values().stream().anyMatch(t -> !t.isZero());
  }

  static Map<String, Duration> tenantTtl(String text) {
    Map<String, Duration> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            TENANT_TTL.name()
                + " must be tenant=duration pairs separated by commas, got '"
                + p
                + "'");
      }
      out.put(p.substring(0, eq).trim(), lifetime(TENANT_TTL.name(), p.substring(eq + 1)));
    }
    return out;
  }

  /** {@code 0}, a duration of {@link Durations}, or whole days such as {@code 30d}. */
  static Duration lifetime(String key, String text) {
    String v = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.equals("0")) {
        return Duration.ZERO;
      }
      Duration d =
          v.endsWith("d") && !v.startsWith("p")
              ? Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)))
              : Durations.parse(v);
      if (d.isNegative()) {
        throw new ConfigException(key + " must be 0 or positive, got " + text);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": '" + text + "' is not a duration (e.g. 30d, 12h, 0)");
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ": " + e.getMessage());
    }
  }
}
