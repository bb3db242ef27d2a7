package io.cascadefarm.dispatcher;

import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.common.port.ResultRetention;
import io.cascadefarm.dispatcher.events.JobEventSource;
import io.cascadefarm.dispatcher.http.TenantResolver;
import io.cascadefarm.dispatcher.ops.ReadinessProbe;
import io.cascadefarm.dispatcher.relay.OutboxSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The adapters a {@link Dispatcher} runs on. {@code probes} are what /readyz checks (a probe of the
 * store is always added); {@code owned} are closed with the dispatcher (Kafka clients, pools).
 */
public record DispatcherPorts(
    JobStore store,
    ObjectStore objects,
    JobPublisher publisher,
    JobEventSource events,
    List<ReadinessProbe> probes,
    TenantResolver tenants,
    Clock clock,
    OutboxSource outbox,
    List<AutoCloseable> owned,
    JobPublisher deadLetters,
    ResultRetention retention) {

  public DispatcherPorts {
    probes = List.copyOf(probes);
    owned = List.copyOf(owned);
  }

  /** The three required ports; no live events, single default tenant, system clock. */
  public static DispatcherPorts of(JobStore store, ObjectStore objects, JobPublisher publisher) {
    return new DispatcherPorts(
        store,
        objects,
        publisher,
        JobEventSource.none(),
        List.of(),
        TenantResolver.single(TenantResolver.DEFAULT_TENANT),
        Clock.systemUTC(),
        OutboxSource.of(store),
        List.of(),
        message -> java.util.concurrent.CompletableFuture.completedFuture(null),
        ResultRetention.none());
  }

  public DispatcherPorts withEvents(JobEventSource source) {
    return new DispatcherPorts(
        store,
        objects,
        publisher,
        source,
        probes,
        tenants,
        clock,
        outbox,
        owned,
        deadLetters,
        retention);
  }

  public DispatcherPorts withProbe(ReadinessProbe probe) {
    List<ReadinessProbe> p = new ArrayList<>(probes);
    p.add(probe);
    return new DispatcherPorts(
        store,
        objects,
        publisher,
        events,
        p,
        tenants,
        clock,
        outbox,
        owned,
        deadLetters,
        retention);
  }

  public DispatcherPorts withTenants(TenantResolver resolver) {
    return new DispatcherPorts(
        store,
        objects,
        publisher,
        events,
        probes,
        resolver,
        clock,
        outbox,
        owned,
        deadLetters,
        retention);
  }

  /** Reads due outbox rows from {@code source} instead of the port's pendingOutbox. */
  public DispatcherPorts withOutboxSource(OutboxSource source) {
    return new DispatcherPorts(
        store,
        objects,
        publisher,
        events,
        probes,
        tenants,
        clock,
        source,
        owned,
        deadLetters,
        retention);
  }

  /**
   * Where the lease reaper puts jobs it failed for good (their worker died on the last attempt).
   * Without it such jobs are only counted, not dead-lettered.
   */
  public DispatcherPorts withDeadLetters(JobPublisher publisher) {
    return new DispatcherPorts(
        store,
        objects,
        publisher(),
        events,
        probes,
        tenants,
        clock,
        outbox,
        owned,
        publisher,
        retention);
  }

  /**
   * Where the result sweeper finds results older than {@code farm.results.ttl} (without it, none
   * expire).
   */
  public DispatcherPorts withResultRetention(ResultRetention r) {
    return new DispatcherPorts(
        store, objects, publisher, events, probes, tenants, clock, outbox, owned, deadLetters, r);
  }

  /** Something to close when the dispatcher closes (after the HTTP server and loops). */
  public DispatcherPorts owning(AutoCloseable resource) {
    List<AutoCloseable> o = new ArrayList<>(owned);
    o.add(resource);
    return new DispatcherPorts(
        store,
        objects,
        publisher,
        events,
        probes,
        tenants,
        clock,
        outbox,
        o,
        deadLetters,
        retention);
  }

  /** The readiness probe of the store: a cheap status lookup of a nil id. */
  ReadinessProbe storeProbe() {
    return ReadinessProbe.of("db", () -> store.status(new UUID(0, 0)));
  }
}
