package io.cascadefarm.dispatcher.admin;

import io.cascadefarm.common.config.RegistrySettings;
import io.cascadefarm.common.port.WorkerRegistry;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.service.StoreGuard;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The workers registry as the admin routes use it. */
public final class WorkersService {
  private final WorkerRegistry registry;
  private final RegistrySettings settings;
  private final Clock clock;

  public WorkersService(WorkerRegistry registry, RegistrySettings settings, Clock clock) {
    this.registry = registry;
    this.settings = settings;
    this.clock = clock;
  }

  private WorkerRegistry registry() {
    if (registry == null) {
      throw ApiException.unavailable("this dispatcher has no workers registry", 30);
    }
    return registry;
  }

  /** Every registered worker and counts per state. */
  public Map<String, Object> list() {
    var now = clock.instant();
    List<WorkerView> views =
        StoreGuard.call("list workers", () -> registry().list()).stream()
            .map(r -> WorkerView.of(r, now, settings.goneAfter()))
            .toList();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (WorkerView v : views) {
      counts.merge(v.state(), 1, Integer::sum);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("workers", views);
    out.put("counts", counts);
    out.put("gone_after_seconds", settings.goneAfter().toSeconds());
    return out;
  }

  public WorkerView get(String id) {
    return StoreGuard.call("find worker", () -> registry().find(id))
        .map(r -> WorkerView.of(r, clock.instant(), settings.goneAfter()))
        .orElseThrow(() -> ApiException.notFound("id", "no such worker: " + id));
  }

  public WorkerView drain(String id, String reason) {
    String why = reason == null || reason.isBlank() ? "drained by an operator" : reason;
    if (why.length() > 500) {
      throw ApiException.invalidField("reason", "must be at most 500 characters");
    }
    if (!StoreGuard.call("drain worker", () -> registry().drain(id, why))) {
      throw ApiException.notFound("id", "no such worker: " + id);
    }
    return get(id);
  }

  public WorkerView release(String id) {
    if (!StoreGuard.call("release worker", () -> registry().release(id))) {
      throw ApiException.notFound("id", "no such worker: " + id);
    }
    return get(id);
  }

  /** Deletes rows of workers silent for longer than the retention; how many. */
  public int sweep() {
    return registry == null
        ? 0
        : registry.deleteSilentSince(clock.instant().minus(settings.retention()));
  }
}
