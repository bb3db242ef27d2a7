package io.cascadefarm.cli.bench;

import io.cascadefarm.cli.client.ApiOptions;
import io.cascadefarm.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code farm bench poll}: the API under load. Polls {@code GET /v1/jobs/{id}} at a fixed rate for
 * a fixed time (each poll sent on schedule, whether or not the previous one answered, and timed
 * from its scheduled start) while a large batch is submitted and rendered; prints the polls' p50,
 * p90, p99 and max latency and their errors, the batch's submit time, and how long the farm took to
 * render the batch.
 */
@Command(
    name = "poll",
    mixinStandardHelpOptions = true,
    description = "Status polling at a fixed rate while a large batch is submitted and rendered.")
public final class PollBenchCommand implements Callable<Integer> {
  @Mixin ApiOptions api;

  @Option(names = "--jobs", defaultValue = "10000", description = "Jobs in the batch")
  int jobs;

  @Option(names = "--rate", defaultValue = "20", description = "Polls per second")
  int rate;

  @Option(names = "--duration", defaultValue = "60", description = "Seconds of polling")
  int duration;

  @Option(names = "--size", defaultValue = "64", description = "Image size of the jobs")
  int size;

  @Option(names = "--model", defaultValue = "tiny", description = "Model of the jobs")
  String model;

  @Option(names = "--no-wait", description = "Do not wait for the batch to finish rendering")
  boolean noWait;

  private HttpClient http;

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api.api() + path)).timeout(Duration.ofSeconds(30));
    if (api.apiKey() != null) {
      b.header("Authorization", "Bearer " + api.apiKey());
    }
    return b;
  }

  @Override
  public Integer call() throws Exception {
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String defaults =
        "{\"model\":\""
            + model
            + "\",\"width\":"
            + size
            + ",\"height\":"
            + size
            + ",\"prior\":{\"steps\":3},\"decoder\":{\"steps\":2}}";
    HttpResponse<String> one =
        http.send(
            request("/v1/jobs")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        defaults.replace("{\"model\"", "{\"prompt\":\"polled\",\"model\"")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (one.statusCode() != 202) {
      System.out.println("the polled job was not accepted: " + one.statusCode() + " " + one.body());
      return 2;
    }
    String id = Json.mapper().readTree(one.body()).path("id").asText();
    List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    AtomicLong errors = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    HttpRequest poll = request("/v1/jobs/" + id).GET().build();
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    ticks.scheduleAtFixedRate(
        () -> {
          long t0 = System.nanoTime();
          sent.incrementAndGet();
          http.sendAsync(poll, HttpResponse.BodyHandlers.ofByteArray())
              .whenComplete(
                  (r, e) -> {
                    if (e != null || r.statusCode() != 200) {
                      errors.incrementAndGet();
                    } else {
                      micros.add((System.nanoTime() - t0) / 1000);
                    }
                  });
        },
        0,
        periodNanos,
        TimeUnit.NANOSECONDS);
    Thread.sleep(2000);
    StringBuilder batch =
        new StringBuilder("{\"defaults\":").append(defaults).append(",\"jobs\":[");
    for (int i = 0; i < jobs; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"prompt\":\"load ").append(i).append("\"}");
    }
    batch.append("]}");
    long s0 = System.nanoTime();
    HttpResponse<String> b =
        http.send(
            request("/v1/batches")
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch.toString(), StandardCharsets.UTF_8))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long submitMs = (System.nanoTime() - s0) / 1_000_000;
    if (b.statusCode() != 202) {
      System.out.println("batch not accepted: " + b.statusCode() + " " + b.body());
      ticks.shutdownNow();
      return 2;
    }
    String batchId = Json.mapper().readTree(b.body()).path("id").asText();
    System.out.printf("batch %s of %d jobs accepted in %d ms%n", batchId, jobs, submitMs);
    long left = duration * 1000L - (System.nanoTime() - start) / 1_000_000;
    Thread.sleep(Math.max(0, left));
    ticks.shutdown();
    ticks.awaitTermination(10, TimeUnit.SECONDS);
    Thread.sleep(3000); // late answers
    String progress = counts(batchId);
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    System.out.printf(
        "polled GET /v1/jobs/{id} %d times in %d s at %d/s while the batch ran: %d answered 200,"
            + " %d errors; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        sent.get(),
        duration,
        rate,
        sorted.size(),
        errors.get(),
        pct(sorted, 50),
        pct(sorted, 90),
        pct(sorted, 99),
        sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1000.0);
    System.out.println("batch after the polling: " + progress);
    if (!noWait) {
      long w0 = System.nanoTime();
      while (true) {
        String c = counts(batchId);
        var n = Json.mapper().readTree(c).path("counts");
        long done =
            n.path("succeeded").asLong() + n.path("failed").asLong() + n.path("cancelled").asLong();
        if (done >= jobs) {
          System.out.printf(
              "batch finished %.1f s after its submit: %s%n", (System.nanoTime() - s0) / 1e9, c);
          break;
        }
        if (System.nanoTime() - w0 > TimeUnit.HOURS.toNanos(2)) {
          System.out.println("batch not finished after 2 h: " + c);
          return 1;
        }
        Thread.sleep(10_000);
      }
    }
    return errors.get() == 0 && sorted.size() == sent.get() ? 0 : 1;
  }

  private String counts(String batchId) throws Exception {
    return http.send(
            request("/v1/batches/" + batchId).GET().build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static double pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1000.0;
  }
}
