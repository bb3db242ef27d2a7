package io.cascadefarm.dispatcher.http;

import io.cascadefarm.common.config.HttpSettings;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps slow and greedy clients from holding the server: at most {@code farm.http.max-connections}
 * open connections (more are closed as they arrive), and a connection that has no request in
 * progress for {@code farm.http.header-timeout} is closed, whether it is dripping the bytes of its
 * headers (slowloris) or idles between keep-alive requests. (The server's idle timeout, {@code
 * farm.http.idle-timeout}, closes connections where nothing moves at all; a request's body has its
 * own deadline.)
 */
public final class ConnectionGuard implements Handler<HttpConnection> {
  private final Map<HttpConnection, State> open = new ConcurrentHashMap<>();
  private final HttpSettings settings;
  private final DispatcherMetrics metrics;

  private static final class State {
    volatile int inFlight;
    volatile long idleSince = System.nanoTime();
  }

  public ConnectionGuard(HttpSettings settings, DispatcherMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    metrics.gauge("farm_http_connections", "Open HTTP connections", open::size);
  }

  /** Checks connections for the header timeout every second. */
  public void start(Vertx vertx) {
    vertx.setPeriodic(1000, t -> sweep());
  }

  @Override
  public void handle(HttpConnection conn) {
    if (open.size() >= settings.maxConnections()) {
      metrics.rejected("too_many_connections");
      conn.close();
      return;
    }
    open.put(conn, new State());
    conn.closeHandler(v -> open.remove(conn));
  }

  /** Called for each request: the connection has a request in progress until it is answered. */
  public void onRequest(HttpServerRequest req) {
    State s = open.get(req.connection());
    if (s == null) {
      return;
    }
    s.inFlight++;
    boolean[] done = {false};
    Handler<Void> end =
        v -> {
          if (!done[0]) {
            done[0] = true;
            s.inFlight--;
            s.idleSince = System.nanoTime();
          }
        };
    req.response().endHandler(end);
    req.response().closeHandler(end);
  }

  private void sweep() {
    long limit = settings.headerTimeout().toNanos();
    long now = System.nanoTime();
    open.forEach(
        (conn, s) -> {
          if (s.inFlight <= 0 && now - s.idleSince > limit) {
            metrics.rejected("header_timeout");
            conn.close();
          }
        });
  }

  public int openConnections() {
    return open.size();
  }
}
