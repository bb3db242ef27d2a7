package io.cascadefarm.dispatcher.admin;

import io.cascadefarm.common.port.FarmInsights;
import io.cascadefarm.common.port.WorkerRegistry;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the workers, queue and listing routes read: the workers registry, the dashboard's queries
 * and the Kafka lag per consumed topic (the lanes; empty when unknown). A null port makes its
 * routes answer 503.
 */
public record AdminPorts(
    WorkerRegistry workers, FarmInsights insights, Supplier<Map<String, Long>> lanes) {

  public static AdminPorts none() {
    return new AdminPorts(null, null, Map::of);
  }
}
