package io.cascadefarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.db.testing.InMemoryJobStore;
import io.cascadefarm.worker.queue.JobMessageCodec;
import io.cascadefarm.worker.testing.FakeObjectStore;
import io.cascadefarm.worker.testing.Fixtures;
import io.cascadefarm.worker.testing.PngRenderer;
import io.cascadefarm.worker.testing.Recorder;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A whole worker on Kafka's MockConsumer and in-memory ports. */
class WorkerTest {
  private final InMemoryJobStore store = new InMemoryJobStore();
  private final FakeObjectStore objects = new FakeObjectStore();
  private final Recorder recorder = new Recorder();
  private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");

  @Test
  void rendersAFullBatchInOneCallServesMetricsAndClosesItsConsumer() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var config =
        Fixtures.config(
            "farm.worker.batch-size", "3",
            "farm.worker.batch-wait", "1h",
            "farm.worker.metrics-port", String.valueOf(port));
    List<UUID> ids =
        List.of(
            store.add(Fixtures.small("a", 16, 16), 3),
            store.add(Fixtures.small("b", 16, 16), 3),
            store.add(Fixtures.small("c", 16, 16), 3));
    TopicPartition tp = new TopicPartition(config.kafka().topics().jobs(), 0);
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(tp));
          consumer.updateBeginningOffsets(Map.of(tp, 0L));
          for (int i = 0; i < ids.size(); i++) {
            JobMessage m = new JobMessage(ids.get(i), store.get(ids.get(i)).params().batchKey());
            consumer.addRecord(
                new ConsumerRecord<>(
                    tp.topic(), 0, i, m.jobId().toString(), JobMessageCodec.encode(m)));
          }
        });
    PngRenderer png = new PngRenderer(2);
    Worker worker =
        new Worker(
            config, new WorkerPorts(store, objects, recorder, recorder), png, null, () -> consumer);
    worker.start();
    try {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!ids.stream().allMatch(id -> store.get(id).status() == JobStatus.SUCCEEDED)) {
        assertTrue(System.nanoTime() < deadline, "jobs did not succeed");
        Thread.sleep(10);
      }
      assertEquals(List.of(3), png.calls);
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertTrue(metrics.contains("farm_worker_jobs_rendered_total{worker=\"w1\"} 3.0"), metrics);
    } finally {
      worker.close();
    }
    assertTrue(consumer.closed());
    assertThrows(IllegalStateException.class, worker::start);
  }
}
