package io.cascadefarm.cli.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny Hugging Face look-alike on localhost: {@code /api/models/{repo}/revision/main} metadata
 * (siblings with size, blobId and lfs.sha256) and {@code /{repo}/resolve/main/{path}} with HTTP
 * Range. Faults on demand: a bearer token requirement (401), a connection dropped after N bytes
 * (once per file), served bytes that differ from the advertised hash.
 */
public final class LocalHub implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();
  private final Map<String, Long> dropAfter = new ConcurrentHashMap<>();
  final List<String> ranges = new CopyOnWriteArrayList<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  public volatile String requiredToken;

  /** When set, the metadata lists no hash (no lfs.sha256, no blobId) for any file. */
  volatile boolean withoutHashes;

  /**
   * When set, file downloads answer 302 to {@code http://localhost:<port>/cdn/...} (another
   * origin).
   */
  volatile boolean redirectToCdn;

  public LocalHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Publishes {@code repo/path} with these bytes (advertised and served). */
  public LocalHub put(String repo, String path, byte[] bytes) {
    files.put(repo + "/" + path, bytes);
    served.remove(repo + "/" + path);
    return this;
  }

  /** Serves other bytes than advertised (same length): a corrupt transfer. */
  LocalHub corrupt(String repo, String path) {
    byte[] b = files.get(repo + "/" + path).clone();
    b[b.length / 2] ^= 0x5a;
    served.put(repo + "/" + path, b);
    return this;
  }

  /** The next download of the file stops after {@code bytes} bytes (connection closed). */
  LocalHub dropOnceAfter(String repo, String path, long bytes) {
    dropAfter.put(repo + "/" + path, bytes);
    return this;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String p = ex.getRequestURI().getPath();
      requests.add(p);
      if (p.startsWith("/cdn/")) {
        if (ex.getRequestHeaders().containsKey("Authorization")) {
          send(ex, 400, "Only one auth mechanism allowed".getBytes(StandardCharsets.UTF_8));
          return;
        }
        file(ex, p.substring("/cdn/".length()));
        return;
      }
      if (requiredToken != null
          && !("Bearer " + requiredToken)
              .equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        send(
            ex,
            401,
            "{\"error\":\"Access to model is restricted\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (p.startsWith("/api/models/") && p.endsWith("/revision/main")) {
        metadata(ex, p.substring("/api/models/".length(), p.length() - "/revision/main".length()));
      } else if (p.contains("/resolve/main/")) {
        int i = p.indexOf("/resolve/main/");
        String key = p.substring(1, i) + "/" + p.substring(i + "/resolve/main/".length());
        if (redirectToCdn) {
          ex.getResponseHeaders()
              .add("Location", "http://localhost:" + server.getAddress().getPort() + "/cdn/" + key);
          ex.sendResponseHeaders(302, -1);
          return;
        }
        file(ex, key);
      } else {
        send(ex, 404, "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private void metadata(HttpExchange ex, String repo) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode().put("id", repo).put("sha", "0123abcd");
    ArrayNode siblings = root.putArray("siblings");
    boolean any = false;
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      if (!e.getKey().startsWith(repo + "/")) {
        continue;
      }
      any = true;
      String path = e.getKey().substring(repo.length() + 1);
      ObjectNode s = siblings.addObject().put("rfilename", path).put("size", e.getValue().length);
      if (withoutHashes) {
        continue;
      }
      if (path.endsWith(".safetensors")) {
        s.putObject("lfs")
            .put("sha256", hex("SHA-256", null, e.getValue()))
            .put("size", e.getValue().length)
            .put("pointerSize", 134);
      } else {
        byte[] header = ("blob " + e.getValue().length + "\0").getBytes(StandardCharsets.US_ASCII);
        s.put("blobId", hex("SHA-1", header, e.getValue()));
      }
    }
    if (!any) {
      send(ex, 404, "{\"error\":\"Repository not found\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    send(ex, 200, json.writeValueAsBytes(root));
  }

  private void file(HttpExchange ex, String key) throws IOException {
    byte[] data = served.getOrDefault(key, files.get(key));
    if (data == null) {
      send(ex, 404, "Entry not found".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String range = ex.getRequestHeaders().getFirst("Range");
    int from = 0;
    if (range != null) {
      ranges.add(key + " " + range);
      from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
      ex.getResponseHeaders()
          .add("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
    }
    int length = data.length - from;
    ex.sendResponseHeaders(range != null ? 206 : 200, length);
    Long drop = dropAfter.remove(key);
    OutputStream out = ex.getResponseBody();
    if (drop != null) {
      out.write(data, from, (int) Math.min(drop, length));
      out.flush();
      // let the client read the bytes sent so far: the drop below can reset the connection, and a
      // reset discards what the client's socket has received but not yet read (a flaky 112,861 of
      // 120,000 bytes once)
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // closing the exchange before all promised bytes were written drops the connection
      return;
    }
    out.write(data, from, length);
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  static String hex(String algorithm, byte[] prefix, byte[] data) {
    try {
      MessageDigest md = MessageDigest.getInstance(algorithm);
      if (prefix != null) {
        md.update(prefix);
      }
      return HexFormat.of().formatHex(md.digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
