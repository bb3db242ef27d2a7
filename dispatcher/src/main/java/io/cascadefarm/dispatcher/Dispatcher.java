package io.cascadefarm.dispatcher;

import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.dispatcher.events.EventHub;
import io.cascadefarm.dispatcher.http.HttpApi;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import io.cascadefarm.dispatcher.ops.ReadinessProbe;
import io.cascadefarm.dispatcher.relay.BackgroundLoops;
import io.cascadefarm.dispatcher.relay.LeaseReaper;
import io.cascadefarm.dispatcher.relay.OutboxRelay;
import io.cascadefarm.dispatcher.service.BatchKeyCache;
import io.cascadefarm.dispatcher.service.JobQueries;
import io.cascadefarm.dispatcher.service.JobSubmitter;
import io.cascadefarm.dispatcher.service.UploadChecker;
import io.cascadefarm.dispatcher.tenant.AdmissionSetup;
import io.cascadefarm.dispatcher.upload.ImageUploads;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher process in one object: the HTTP API v1 on {@code farm.http.host:port} (port 0
 * picks a free port), the outbox relay and the lease reaper, and the live-event fan-out. Usable
 * in-process ({@code farm standalone}, tests) and by {@code farm dispatcher}.
 *
 * <pre>
 *   try (Dispatcher d = new Dispatcher(config, DispatcherPorts.of(store, objects, publisher))) {
 *     int port = d.start();
 *   }
 * </pre>
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** How long {@link #close} lets in-flight requests finish. */
  public static final java.time.Duration DRAIN = java.time.Duration.ofSeconds(3);

  private final DispatcherConfig config;
  private final DispatcherPorts ports;
  private final io.cascadefarm.dispatcher.service.ScalePorts scale;
  private io.cascadefarm.dispatcher.webhook.WebhookSender webhooks;
  private final DispatcherMetrics metrics = new DispatcherMetrics();
  private final EventHub hub = new EventHub();
  private Vertx vertx;
  private HttpServer server;
  private Router router;
  private BackgroundLoops loops;
  private io.cascadefarm.dispatcher.retention.ResultSweeper sweeper;
  private boolean closed;
  private final List<AutoCloseable> extraOwned = new ArrayList<>();
  private io.cascadefarm.dispatcher.admin.AdminPorts admin =
      io.cascadefarm.dispatcher.admin.AdminPorts.none();
  private java.util.concurrent.ScheduledExecutorService registrySweep;

  public Dispatcher(DispatcherConfig config, DispatcherPorts ports) {
    this(config, ports, io.cascadefarm.dispatcher.service.ScalePorts.none());
  }

  /** With issue 12's ports (listing, webhooks, models); see {@link ScaleSetup}. */
  public Dispatcher(
      DispatcherConfig config,
      DispatcherPorts ports,
      io.cascadefarm.dispatcher.service.ScalePorts scale) {
    this.config = config;
    this.ports = ports;
    this.scale = scale;
  }

  /**
   * The workers registry, dashboard queries and Kafka lanes the admin routes read (before {@link
   * #start}); without them those routes answer 503.
   */
  public synchronized Dispatcher withAdmin(io.cascadefarm.dispatcher.admin.AdminPorts ports) {
    this.admin = ports;
    return this;
  }

  /** Starts everything and returns the bound HTTP port. */
  public synchronized int start() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (server != null) {
      return server.actualPort();
    }
    BatchKeyCache keys = new BatchKeyCache();
    loops =
        new BackgroundLoops(
            new OutboxRelay(
                ports.store(),
                ports.outbox(),
                ports.publisher(),
                keys,
                metrics,
                ports.clock(),
                OutboxRelay.ACK_WAIT),
            new LeaseReaper(ports.store(), ports.deadLetters(), metrics, ports.clock()),
            metrics,
            config.outboxInterval(),
            config.reaperInterval());
    sweeper =
        new io.cascadefarm.dispatcher.retention.ResultSweeper(
                ports.retention(), ports.objects(), config.results(), metrics, ports.clock())
            .start();
    AdmissionSetup admission = AdmissionSetup.of(config.tenants(), ports.store());
    JobSubmitter submitter =
        new JobSubmitter(
                admission.store(),
                new UploadChecker(ports.objects()),
                config.limits(),
                config.maxAttempts(),
                keys,
                loops::wake,
                admission.admission())
            .withFinetuneGate(
                new io.cascadefarm.dispatcher.service.FinetuneGate(config.training()));
    JobQueries queries =
        new JobQueries(
            ports.store(),
            ports.objects(),
            config.s3().presignTtl(),
            config.results().delivery()
                == io.cascadefarm.common.config.ResultSettings.Delivery.PROXY);
    ScaleSetup extras = ScaleSetup.of(config, ports, scale, submitter, queries);
    webhooks = extras.sender();
    List<ReadinessProbe> probes = new ArrayList<>();
    probes.add(ports.storeProbe());
    probes.addAll(ports.probes());
    metrics.gauge("farm_sse_streams", "Open Server-Sent-Event streams", hub::subscriberCount);
    metrics.gauge("farm_events_received", "Events read from the events topic", hub::received);
    ports.events().start(e -> hub.publish(queries.withPreviewUrl(e)));
    vertx = Vertx.vertx();
    HttpApi.Services services =
        new HttpApi.Services(
            submitter,
            queries,
            new ImageUploads(ports.objects(), config.limits().maxUploadBytes()),
            hub,
            metrics,
            probes,
            ports.tenants(),
            config.limits(),
            loops::health,
            config.http().maxStreamsPerTenant());
    io.cascadefarm.dispatcher.admin.WorkersService workers =
        new io.cascadefarm.dispatcher.admin.WorkersService(
            admin.workers(), config.workers(), ports.clock());
    HttpApi.Admin adminRoutes =
        new HttpApi.Admin(
            workers,
            new io.cascadefarm.dispatcher.admin.QueueService(
                admin.insights(), admin.lanes(), ports.clock()),
            new io.cascadefarm.dispatcher.admin.JobHistory(ports.store()));
    if (admin.workers() != null) {
      registrySweep =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "dispatcher-workers-registry-sweep");
                t.setDaemon(true);
                return t;
              });
      registrySweep.scheduleWithFixedDelay(
          () -> {
            try {
              int n = workers.sweep();
              if (n > 0) {
                LOG.info("removed {} worker(s) gone for over {}", n, config.workers().retention());
              }
            } catch (RuntimeException e) {
              LOG.debug("workers registry sweep failed: {}", e.toString());
            }
          },
          10,
          60,
          TimeUnit.SECONDS);
    }
    io.cascadefarm.dispatcher.http.ConnectionGuard connections =
        new io.cascadefarm.dispatcher.http.ConnectionGuard(config.http(), metrics);
    connections.start(vertx);
    try {
      server =
          vertx
              .createHttpServer(
                  io.cascadefarm.dispatcher.http.InvalidRequests.headerLimits(
                      new HttpServerOptions()
                          .setCompressionSupported(true)
                          // HTTP/1.1 only (no h2c upgrade): the connection exists, and the
                          // header timeout runs, from the first byte, not after whole headers
                          .setHttp2ClearTextEnabled(false)
                          .setIdleTimeout((int) config.http().idleTimeout().toMillis())
                          .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)))
              .connectionHandler(connections)
              // no WebSockets; with a handshake handler set, Vert.x hands requests of unknown
              // HTTP versions to the request handler (400) instead of answering a bare 501
              .webSocketHandshakeHandler(handshake -> handshake.reject(400))
              .requestHandler(
                  io.cascadefarm.dispatcher.http.InvalidRequests.guard(
                      router = HttpApi.router(vertx, services, extras.services(), adminRoutes),
                      metrics,
                      connections))
              .invalidRequestHandler(io.cascadefarm.dispatcher.http.InvalidRequests.of(metrics))
              .listen(config.port(), config.host())
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
    LOG.info("dispatcher listening on {}:{}", config.host(), server.actualPort());
    return server.actualPort();
  }

  /** The bound port (after {@link #start}). */
  public int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.actualPort();
  }

  /** {@code http://localhost:<port>} for in-process clients. */
  public String baseUrl() {
    return "http://localhost:" + port();
  }

  /**
   * Every route of the API as {@code "METHOD /path/{param}"} (OpenAPI path syntax), for the OpenAPI
   * coverage test and docs.
   */
  public List<String> routes() {
    List<String> out = new ArrayList<>();
    for (Route r : router.getRoutes()) {
      if (r.getPath() == null || r.methods() == null) {
        continue;
      }
      String path = r.getPath().replaceAll(":([A-Za-z_]+)", "{$1}");
      r.methods().forEach(m -> out.add(m.name() + " " + path));
    }
    return out;
  }

  public DispatcherMetrics metrics() {
    return metrics;
  }

  /** Closes {@code c} first when the dispatcher closes (background readers wired around it). */
  public synchronized void closeAlso(AutoCloseable c) {
    extraOwned.add(0, c);
  }

  /**
   * Stops accepting requests and lets in-flight ones finish (at most {@link #DRAIN}), then stops
   * the loops and the event source, then closes the owned resources. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (server != null) {
      try {
        // stop accepting, let in-flight requests finish (open event streams are cut at the timeout)
        server
            .shutdown(DRAIN.toMillis(), TimeUnit.MILLISECONDS)
            .toCompletionStage()
            .toCompletableFuture()
            .get(DRAIN.toMillis() + 2000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("HTTP server did not drain cleanly: {}", e.toString());
      }
    }
    if (vertx != null) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("vert.x did not close cleanly: {}", e.toString());
      }
      vertx = null;
      server = null;
    }
    if (webhooks != null) {
      webhooks.close();
      webhooks = null;
    }
    if (loops != null) {
      loops.close();
      loops = null;
    }
    if (sweeper != null) {
      sweeper.close();
      sweeper = null;
    }
    if (registrySweep != null) {
      registrySweep.shutdownNow();
      registrySweep = null;
    }
    ports.events().close();
    List<AutoCloseable> owned = new ArrayList<>(extraOwned);
    owned.addAll(ports.owned());
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", c, e.toString());
      }
    }
  }
}
