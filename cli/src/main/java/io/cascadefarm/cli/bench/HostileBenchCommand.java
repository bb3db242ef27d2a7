package io.cascadefarm.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cli.client.ApiOptions;
import io.cascadefarm.codec.hostile.HostileFiles;
import io.cascadefarm.codec.image.ImageCodec;
import io.cascadefarm.common.json.Json;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code farm bench hostile}: sends a hostile mix of requests to a running farm (every route, every
 * upload type with decoder and allocation bombs, hostile LoRAs, NDJSON and JSON bombs, raw
 * malformed HTTP, odd methods, random keys, slow clients, too many event streams) while sampling
 * the dispatcher's heap from {@code /metrics}; then checks that the farm is healthy and ready and
 * renders a job. Exit 0 only with no 5xx answer, the heap under its limit, and the job succeeded.
 */
@Command(
    name = "hostile",
    mixinStandardHelpOptions = true,
    description =
        "Hostile run against a farm (needs an API key): 0 5xx, bounded heap, then a job renders.")
public final class HostileBenchCommand implements java.util.concurrent.Callable<Integer> {
  @Mixin ApiOptions api;

  @Option(names = "--rounds", defaultValue = "3", description = "Rounds of the mix (~800 each)")
  int rounds;

  @Option(names = "--concurrency", defaultValue = "8", description = "Requests in flight")
  int concurrency;

  @Option(
      names = "--big-bodies",
      defaultValue = "2",
      description = "NDJSON bodies of 127 MiB of blank lines to send")
  int bigBodies;

  @Option(names = "--model", defaultValue = "tiny", description = "Model of the final job")
  String model;

  private final Map<String, AtomicLong> byClass = new ConcurrentHashMap<>();
  private final List<String> fivexx = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong sent = new AtomicLong();
  private volatile long heapPeak;
  private volatile long heapMax;

  record Req(String name, Supplier<byte[]> bytes, int timeoutMs) {}

  @Override
  public Integer call() throws Exception {
    URI base = URI.create(api.api());
    RawRequests raw = new RawRequests(base);
    String key = apiKey();
    String auth = "Bearer " + key;
    long start = System.nanoTime();
    Thread sampler = new Thread(() -> sample(raw), "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Req> mix = mix(raw, auth);
    System.out.println("hostile run: " + mix.size() + " requests per round, " + rounds + " rounds");
    for (int r = 0; r < rounds; r++) {
      for (Req q : mix) {
        pool.submit(() -> send(raw, q));
      }
    }
    for (int i = 0; i < bigBodies; i++) {
      byte[] body = new byte[127 << 20];
      Arrays.fill(body, (byte) '\n');
      byte[] job = "{\"prompt\":\"after the blank lines\"}\n".getBytes(StandardCharsets.UTF_8);
      System.arraycopy(job, 0, body, body.length - job.length, job.length);
      byte[] req =
          raw.build(
              "POST",
              "/v1/batches",
              body,
              "Authorization",
              auth,
              "Content-Type",
              "application/x-ndjson");
      send(raw, new Req("ndjson 127 MiB blank lines", () -> req, 120_000));
    }
    slowClients(raw);
    streams(raw, auth);
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.MINUTES);
    long took = (System.nanoTime() - start) / 1_000_000;
    Thread.sleep(1000);
    sampler.interrupt();
    RawRequests.Answer health = raw.send(raw.build("GET", "/healthz", null), 10_000);
    RawRequests.Answer ready = raw.send(raw.build("GET", "/readyz", null), 10_000);
    String rendered = renderOne(auth, raw);
    System.out.printf(
        "sent %d requests in %.1f s; answers by status class %s%n",
        sent.get(), took / 1000.0, new TreeMap<>(byClass));
    System.out.printf(
        "dispatcher heap: peak %d MiB used of %d MiB max%n", heapPeak >> 20, heapMax >> 20);
    System.out.println(
        "after the run: /healthz " + health.status() + ", /readyz " + ready.status());
    System.out.println("a job after the run: " + rendered);
    fivexx.stream().limit(20).forEach(f -> System.out.println("5xx: " + f));
    boolean ok =
        fivexx.isEmpty()
            && heapMax > 0
            && heapPeak < heapMax
            && health.status() == 200
            && ready.status() == 200
            && rendered.startsWith("succeeded");
    System.out.println(ok ? "HOSTILE RUN PASSED" : "HOSTILE RUN FAILED");
    return ok ? 0 : 1;
  }

  private String apiKey() {
    if (api.apiKey() == null) {
      throw new IllegalArgumentException("--api-key (or FARM_API_KEY) is required");
    }
    return api.apiKey();
  }

  private void send(RawRequests raw, Req q) {
    RawRequests.Answer a = raw.send(q.bytes().get(), q.timeoutMs());
    sent.incrementAndGet();
    String cls = a.status() == 0 ? "closed" : (a.status() / 100) + "xx";
    byClass.computeIfAbsent(cls, c -> new AtomicLong()).incrementAndGet();
    if (a.status() >= 500) {
      fivexx.add(q.name() + " -> " + a.text().substring(0, Math.min(300, a.text().length())));
    }
  }

  private static final Pattern USED =
      Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]*\"} ([0-9.E+]+)");
  private static final Pattern MAX =
      Pattern.compile("jvm_memory_max_bytes\\{area=\"heap\",id=\"[^\"]*\"} ([0-9.E+-]+)");

  private void sample(RawRequests raw) {
    while (!Thread.currentThread().isInterrupted()) {
      RawRequests.Answer m = raw.send(raw.build("GET", "/metrics", null), 5000);
      long used = 0;
      long max = 0;
      Matcher u = USED.matcher(m.text());
      while (u.find()) {
        used += (long) Double.parseDouble(u.group(1));
      }
      Matcher x = MAX.matcher(m.text());
      while (x.find()) {
        max = Math.max(max, (long) Double.parseDouble(x.group(1)));
      }
      heapPeak = Math.max(heapPeak, used);
      heapMax = Math.max(heapMax, max);
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private List<Req> mix(RawRequests raw, String auth) throws Exception {
    List<Req> m = new ArrayList<>();
    BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    byte[] png = ImageCodec.encodePng(img);
    byte[][] images = {
      HostileFiles.pngAllocationBomb(),
      HostileFiles.png(100_000, 100_000, 8, 6),
      HostileFiles.png(6000, 6000, 16, 2),
      HostileFiles.png(7000, 5000, 8, 2),
      HostileFiles.jpeg(8000, 5000, 3, false, 1),
      HostileFiles.jpeg(6000, 6000, 3, true, 1),
      HostileFiles.jpeg(16, 16, 3, true, 5000),
      HostileFiles.jpeg(0, 16, 3, false, 1),
      HostileFiles.webp(16384, 16384),
      HostileFiles.webp(6000, 6000),
      Arrays.copyOf(png, png.length / 2),
      "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1),
      "BM........".getBytes(StandardCharsets.ISO_8859_1),
      new byte[0],
      png
    };
    for (int rep = 0; rep < 8; rep++) {
      for (byte[] b : images) {
        for (String ct :
            new String[] {
              "application/x-www-form-urlencoded", "image/png", "multipart/form-data"
            }) {
          m.add(
              req(
                  raw,
                  "upload",
                  "POST",
                  "/v1/uploads",
                  b,
                  "Authorization",
                  auth,
                  "Content-Type",
                  ct));
        }
      }
    }
    byte[][] loras = {
      HostileFiles.loraI8(),
      HostileFiles.loraOverflow(),
      HostileFiles.loraRegexBomb(),
      HostileFiles.lora("{\"train_tokens\":\"[[\\\"[x]\\\", \\\"a(?=b)\\\"]]\"}"),
      HostileFiles.lora("{\"train_tokens\":\"[[\\\"[x]\\\", \\\"(((a{10}){10}){10})\\\"]]\"}"),
      HostileFiles.lora("{\"train_tokens\":\"not json\"}"),
      HostileFiles.lora("{\"train_tokens\":5}"),
      "{\"not\":\"safetensors\"}".getBytes(StandardCharsets.UTF_8),
      new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0x7f}
    };
    for (int rep = 0; rep < 6; rep++) {
      for (int i = 0; i < loras.length; i++) {
        String name = i == 2 ? "hostile-regex-" + rep : "hostile-" + i;
        m.add(req(raw, "lora", "POST", "/v1/loras?name=" + name, loras[i], "Authorization", auth));
      }
      m.add(
          req(
              raw,
              "lora bad name",
              "POST",
              "/v1/loras?name=../../x",
              loras[2],
              "Authorization",
              auth));
      m.add(req(raw, "lora no name", "POST", "/v1/loras", loras[2], "Authorization", auth));
    }
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 100_001; i++) {
      many.append("{}\n");
    }
    byte[] tooMany = many.toString().getBytes(StandardCharsets.UTF_8);
    String[] values = {
      "-1",
      "1e400",
      "99999999999999999999999999",
      "\"text\"",
      "[]",
      "{}",
      "true",
      "null",
      "\"../../etc/passwd\"",
      "\"\\u0000\"",
      "[".repeat(2000) + "]".repeat(2000)
    };
    String[] fields = {
      "kind",
      "prompt",
      "negative_prompt",
      "width",
      "height",
      "seed",
      "images",
      "model",
      "prior",
      "decoder",
      "image",
      "strength",
      "control",
      "mask",
      "control_strength",
      "loras",
      "metadata"
    };
    for (String f : fields) {
      for (String v : values) {
        String job = "{\"prompt\":\"p\",\"" + f + "\":" + v + "}";
        m.add(
            req(
                raw,
                "job " + f,
                "POST",
                "/v1/jobs",
                utf8(job),
                "Authorization",
                auth,
                "Content-Type",
                "application/json"));
        m.add(
            req(
                raw,
                "ndjson " + f,
                "POST",
                "/v1/batches",
                utf8("{\"prompt\":\"ok\"}\n" + job),
                "Authorization",
                auth,
                "Content-Type",
                "application/x-ndjson"));
      }
    }
    for (int rep = 0; rep < 5; rep++) {
      m.add(
          req(
              raw,
              "ndjson job limit",
              "POST",
              "/v1/batches",
              tooMany,
              "Authorization",
              auth,
              "Content-Type",
              "application/x-ndjson"));
      m.add(
          req(
              raw,
              "deep json",
              "POST",
              "/v1/jobs",
              utf8("[".repeat(200_000)),
              "Authorization",
              auth));
      m.add(
          req(
              raw,
              "huge prompt",
              "POST",
              "/v1/jobs",
              utf8("{\"prompt\":\"" + "x".repeat(5 << 20) + "\"}"),
              "Authorization",
              auth));
      m.add(
          req(
              raw,
              "invalid utf8",
              "POST",
              "/v1/jobs",
              new byte[] {'{', '"', 'p', (byte) 0xff, '"', ':', '1', '}'},
              "Authorization",
              auth));
      m.add(
          req(
              raw,
              "big jobs array",
              "POST",
              "/v1/batches",
              utf8("{\"jobs\":[" + "1,".repeat(300_000) + "1]}"),
              "Authorization",
              auth));
    }
    String id = UUID.randomUUID().toString();
    String[] paths = {
      "/v1/jobs",
      "/v1/jobs/" + id,
      "/v1/jobs/" + id + "/image",
      "/v1/jobs/" + id + "/cancel",
      "/v1/jobs/" + id + "/retry",
      "/v1/batches",
      "/v1/batches/" + id,
      "/v1/batches/" + id + "/jobs",
      "/v1/batches/" + id + "/cancel",
      "/v1/batches/" + id + "/retry?include_cancelled=2",
      "/v1/uploads",
      "/v1/loras",
      "/v1/events?job=" + id,
      "/v1/events?batch=x&job=y",
      "/v1/jobs/..%2f..",
      "/v1/batches/" + id + "/jobs?limit=-1&status=%3Cx%3E",
      "/healthz",
      "/readyz",
      "/openapi.json",
      "/nowhere",
      "/v1/jobs/" + "9".repeat(5000)
    };
    String[] methods = {
      "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW", "M" + "X".repeat(40)
    };
    for (String p : paths) {
      for (String method : methods) {
        m.add(
            req(
                raw,
                method + " " + p,
                method,
                p,
                method.equals("GET") || method.equals("HEAD") ? null : utf8("{}"),
                "Authorization",
                auth));
      }
    }
    for (int i = 0; i < 150; i++) {
      m.add(
          req(
              raw,
              "random key",
              "GET",
              "/v1/jobs/" + id,
              null,
              "Authorization",
              "Bearer cf_" + UUID.randomUUID()));
    }
    for (String h :
        new String[] {
          "", "Bearer", "Basic Zm9vOmJhcg==", "Bearer " + "A".repeat(10_000), "Bearer \t"
        }) {
      m.add(req(raw, "bad auth", "POST", "/v1/jobs", utf8("{}"), "Authorization", h));
    }
    String[] rawBroken = {
      "GET /v1/jobs/x HTTP/1.1\r\n\r\n",
      "GET /healthz HTTP/1.0\r\n\r\n",
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
      "GET /v1/jobs HTTP/2.0\r\nHost: x\r\n\r\n",
      "GET /v1/jobs HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
      "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n{}",
      "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
      "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(100_000) + "\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"
    };
    for (int rep = 0; rep < 4; rep++) {
      for (String r : rawBroken) {
        m.add(new Req("raw", () -> r.getBytes(StandardCharsets.ISO_8859_1), 10_000));
      }
    }
    return m;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Req req(
      RawRequests raw, String name, String method, String path, byte[] body, String... headers) {
    byte[] bytes = raw.build(method, path, body, headers);
    return new Req(name, () -> bytes, path.startsWith("/v1/events") ? 2000 : 60_000);
  }

  /** A few clients that drip header bytes: each must be cut off (counted as "closed"). */
  private void slowClients(RawRequests raw) throws Exception {
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t =
          new Thread(
              () -> {
                byte[] partial =
                    "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "
                        .getBytes(StandardCharsets.US_ASCII);
                send(raw, new Req("slow headers", () -> partial, 60_000));
              });
      t.start();
      ts.add(t);
    }
    for (Thread t : ts) {
      t.join();
    }
  }

  /** More event streams than a tenant may hold: the extra ones are 429. */
  private void streams(RawRequests raw, String auth) throws Exception {
    List<Thread> ts = new ArrayList<>();
    String id = UUID.randomUUID().toString();
    for (int i = 0; i < 40; i++) {
      Thread t =
          new Thread(
              () ->
                  send(
                      raw,
                      req(
                          raw,
                          "events",
                          "GET",
                          "/v1/events?job=" + id,
                          null,
                          "Authorization",
                          auth)));
      t.start();
      ts.add(t);
    }
    for (Thread t : ts) {
      t.join();
    }
  }

  private String renderOne(String auth, RawRequests raw) throws Exception {
    String job =
        "{\"prompt\":\"after the hostile run\",\"model\":\""
            + model
            + "\",\"width\":64,\"height\":64,\"prior\":{\"steps\":3},\"decoder\":{\"steps\":2}}";
    RawRequests.Answer a =
        raw.send(
            raw.build(
                "POST",
                "/v1/jobs",
                utf8(job),
                "Authorization",
                auth,
                "Content-Type",
                "application/json"),
            30_000);
    if (a.status() != 202) {
      return "not accepted: " + a.status() + " " + a.text();
    }
    JsonNode j = Json.mapper().readTree(a.text().substring(a.text().indexOf("\r\n\r\n") + 4));
    String id = j.path("id").asText();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    String status = "";
    while (System.nanoTime() < deadline) {
      RawRequests.Answer s =
          raw.send(raw.build("GET", "/v1/jobs/" + id, null, "Authorization", auth), 30_000);
      if (s.status() == 200) {
        status =
            Json.mapper()
                .readTree(s.text().substring(s.text().indexOf("\r\n\r\n") + 4))
                .path("status")
                .asText();
        if (status.equals("succeeded") || status.equals("failed")) {
          break;
        }
      }
      Thread.sleep(1000);
    }
    return status + " (job " + id + ")";
  }
}
