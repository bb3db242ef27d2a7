package io.cascadefarm.dispatcher.it;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.embedded.ServiceEndpoints;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Dispatcher settings pointing at running services, with a fresh topic prefix per use. */
public final class RealFarm {
  private RealFarm() {}

  /** The settings for {@code e}; {@code extra} overrides or adds keys. */
  public static DispatcherConfig config(ServiceEndpoints e, Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    e.toProperties().forEach((k, v) -> m.put((String) k, (String) v));
    m.put("farm.http.port", "0");
    m.put("farm.http.host", "127.0.0.1");
    m.put("farm.kafka.topic-prefix", "it-" + UUID.randomUUID().toString().substring(0, 8));
    m.put("farm.kafka.job-partitions", "3");
    m.put("farm.outbox.interval", "100ms");
    m.put("farm.auth.enabled", "false"); // these tests act as tenant "default"
    m.putAll(extra);
    return DispatcherConfig.from(ConfigSource.of(m));
  }
}
