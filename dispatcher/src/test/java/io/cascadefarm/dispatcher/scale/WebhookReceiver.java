package io.cascadefarm.dispatcher.scale;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback that records every request and answers 500 to the first {@code
 * failFirst} of them, then 200.
 */
final class WebhookReceiver implements AutoCloseable {
  record Hit(String path, Map<String, String> headers, byte[] body, int answered) {}

  private final HttpServer server;
  private final List<Hit> hits = new ArrayList<>();
  private final AtomicInteger toFail;

  WebhookReceiver(int failFirst) throws IOException {
    toFail = new AtomicInteger(failFirst);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          Map<String, String> h = new java.util.HashMap<>();
          for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            h.put(name, ex.getRequestHeaders().getFirst(name));
          }
          int status = toFail.getAndDecrement() > 0 ? 500 : 200;
          synchronized (hits) {
            hits.add(new Hit(ex.getRequestURI().getPath(), h, body, status));
            hits.notifyAll();
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Waits (up to 60 s) until {@code n} requests arrived; returns them all. */
  List<Hit> await(int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    synchronized (hits) {
      while (hits.size() < n && System.currentTimeMillis() < deadline) {
        hits.wait(200);
      }
      return List.copyOf(hits);
    }
  }

  List<Hit> hits() {
    synchronized (hits) {
      return List.copyOf(hits);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
