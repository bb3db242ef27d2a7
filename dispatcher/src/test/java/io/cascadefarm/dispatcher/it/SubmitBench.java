package io.cascadefarm.dispatcher.it;

import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.embedded.ServiceEndpoints;
import io.cascadefarm.embedded.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Benchmark (not a test): bulk submit of 10,000 jobs (JSON envelope and NDJSON) and of 100,000
 * jobs, single-job submit latency, and status GET throughput and p99, against the real embedded
 * PostgreSQL, Kafka and S3 in this JVM. Prints the figures. Run:
 *
 * <pre>
 * ./mvnw -B -o -q -pl dispatcher -am install -DskipTests
 * ./mvnw -B -o -q -pl dispatcher dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp dispatcher/target/test-classes:dispatcher/target/classes:$(cat dispatcher/target/cp.txt) \
 *   io.cascadefarm.dispatcher.it.SubmitBench
 * </pre>
 */
public final class SubmitBench {
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static String base;

  public static void main(String[] args) throws Exception {
    ServiceEndpoints e = TestServices.endpoints();
    // limits that never bind, so the bench measures their cost (farm-wide: one row lock per submit)
    DispatcherConfig config =
        RealFarm.config(
            e,
            Map.of(
                "farm.db.pool-size", "16",
                "farm.tenant.max-queued-jobs", "100000000",
                "farm.tenant.submit-rate", "1000000",
                "farm.tenant.submit-burst", "100000000"));
    try (Dispatcher d = Dispatchers.fromConfig(config)) {
      d.start();
      base = d.baseUrl();
      System.out.printf(
          "machine: %d cores, JVM max heap %d MB%n",
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
      for (int i = 0; i < 3; i++) {
        submitJson(2000); // warm-up (JIT, pool, COPY path)
      }
      if (args.length > 0 && args[0].equals("relay")) {
        for (int i = 0; i < 3; i++) {
          relayDrain(e, 10_000);
        }
        System.exit(0);
      }
      double[] json = new double[5];
      double[] nd = new double[5];
      String lastBatch = null;
      for (int i = 0; i < 5; i++) {
        long t = System.nanoTime();
        lastBatch = submitJson(10_000);
        json[i] = ms(t);
        t = System.nanoTime();
        submitNdjson(10_000);
        nd[i] = ms(t);
      }
      System.out.printf(
          "bulk submit 10,000 jobs, JSON envelope: %s ms (median %.0f)%n", fmt(json), median(json));
      System.out.printf(
          "bulk submit 10,000 jobs, NDJSON:        %s ms (median %.0f)%n", fmt(nd), median(nd));
      storeOnly(config, 10_000);
      relayDrain(e, 10_000);
      long t = System.nanoTime();
      submitNdjson(100_000);
      System.out.printf("bulk submit 100,000 jobs, NDJSON: %.0f ms%n", ms(t));
      singleSubmits(500);
      List<String> ids = jobIds(lastBatch);
      for (int c : new int[] {1, 8, 32}) {
        statusGets(ids, c, 8_000);
      }
    }
    System.exit(0);
  }

  /** Submits n jobs and times until the relay has published all of them (outbox empty). */
  static void relayDrain(ServiceEndpoints e, int n) throws Exception {
    while (outboxRows(e) > 0) {
      Thread.sleep(50);
    }
    long t = System.nanoTime();
    submitNdjson(n);
    double accepted = ms(t);
    while (outboxRows(e) > 0) {
      Thread.sleep(10);
    }
    System.out.printf(
        "outbox relay: %d jobs accepted after %.0f ms, all published to Kafka (acked, rows deleted) after %.0f ms%n",
        n, accepted, ms(t));
  }

  static int outboxRows(ServiceEndpoints e) throws Exception {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(e.jdbcUrl(), e.dbUser(), e.dbPassword());
        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM outbox")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** The store's share: the same 10,000 resolved jobs inserted by JdbcJobStore directly. */
  static void storeOnly(DispatcherConfig config, int n) {
    try (io.cascadefarm.db.Database db = io.cascadefarm.db.Database.create(config.db())) {
      io.cascadefarm.common.port.JobStore store = db.jobStore();
      double[] took = new double[3];
      for (int r = 0; r < took.length; r++) {
        List<io.cascadefarm.common.port.NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          io.cascadefarm.common.job.JobParams p =
              io.cascadefarm.common.job.JobDefaults.resolve(
                  io.cascadefarm.common.job.JobParams.textToImage("bench job " + i), () -> 1L);
          jobs.add(
              new io.cascadefarm.common.port.NewJob(
                  io.cascadefarm.dispatcher.service.Ids.next(), "bench", p, 3));
        }
        long t = System.nanoTime();
        store.submitBatch(
            new io.cascadefarm.common.port.NewBatch(
                io.cascadefarm.dispatcher.service.Ids.next(), "bench", jobs, Map.of()));
        took[r] = ms(t);
      }
      System.out.printf(
          "  of which JdbcJobStore.submitBatch alone (10,000 jobs): %s ms%n", fmt(took));
    }
  }

  static String submitJson(int n) throws Exception {
    StringBuilder sb =
        new StringBuilder(
            "{\"defaults\":{\"model\":\"tiny\",\"width\":256,\"height\":256},\"jobs\":[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"prompt\":\"bench job ")
          .append(i)
          .append(" a lighthouse at dusk\",\"seed\":")
          .append(i)
          .append('}');
    }
    return accepted(post("/v1/batches", sb.append("]}").toString(), "application/json"), n);
  }

  static String submitNdjson(int n) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("{\"prompt\":\"bench job ")
          .append(i)
          .append(" a lighthouse at dusk\",\"model\":\"tiny\",\"width\":256,\"height\":256}\n");
    }
    return accepted(post("/v1/batches", sb.toString(), "application/x-ndjson"), n);
  }

  static String accepted(HttpResponse<String> r, int n) throws Exception {
    var j = Json.mapper().readTree(r.body());
    if (r.statusCode() != 202 || j.path("job_count").asInt() != n) {
      throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
    return j.path("id").asText();
  }

  static HttpResponse<String> post(String path, String body, String type) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void singleSubmits(int n) throws Exception {
    double[] lat = new double[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      HttpResponse<String> r =
          post(
              "/v1/jobs",
              "{\"prompt\":\"single " + i + "\",\"model\":\"tiny\"}",
              "application/json");
      lat[i] = ms(t);
      if (r.statusCode() != 202) {
        throw new IllegalStateException(r.body());
      }
    }
    Arrays.sort(lat);
    System.out.printf(
        "single-job submit (sequential, %d): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        n, pct(lat, 50), pct(lat, 99), lat[n - 1]);
  }

  static List<String> jobIds(String batch) throws Exception {
    List<String> ids = new ArrayList<>();
    String after = "";
    while (ids.size() < 10_000 && after != null) {
      var page =
          Json.mapper()
              .readTree(
                  HTTP.send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      base + "/v1/batches/" + batch + "/jobs?limit=1000" + after))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body());
      page.path("jobs").forEach(j -> ids.add(j.path("id").asText()));
      after = page.hasNonNull("next") ? "&after=" + page.path("next").asText() : null;
    }
    return ids;
  }

  static void statusGets(List<String> ids, int clients, long millis) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + millis * 1_000_000;
    List<Future<List<Double>>> parts = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      parts.add(
          pool.submit(
              () -> {
                List<Double> lat = new ArrayList<>();
                while (System.nanoTime() < end) {
                  String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                  long t = System.nanoTime();
                  HttpResponse<byte[]> r =
                      HTTP.send(
                          HttpRequest.newBuilder(URI.create(base + "/v1/jobs/" + id)).build(),
                          HttpResponse.BodyHandlers.ofByteArray());
                  lat.add(ms(t));
                  if (r.statusCode() != 200) {
                    throw new IllegalStateException("GET " + r.statusCode());
                  }
                }
                return lat;
              }));
    }
    List<Double> all = new ArrayList<>();
    for (Future<List<Double>> f : parts) {
      all.addAll(f.get());
    }
    pool.shutdown();
    double[] lat = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        "status GET, %2d concurrent clients: %6.0f req/s, p50 %.2f ms, p99 %.2f ms (%d requests)%n",
        clients, lat.length / (millis / 1000.0), pct(lat, 50), pct(lat, 99), lat.length);
  }

  static double ms(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  static double pct(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static String fmt(double[] v) {
    StringBuilder sb = new StringBuilder();
    for (double d : v) {
      sb.append(sb.length() == 0 ? "" : ", ").append(String.format("%.0f", d));
    }
    return sb.toString();
  }
}
