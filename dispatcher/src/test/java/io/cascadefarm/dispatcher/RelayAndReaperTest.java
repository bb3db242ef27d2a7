package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobStatus;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RelayAndReaperTest {

  @Test
  void jobsStayAcceptedWhileKafkaIsDownAndArePublishedWhenItReturns() throws Exception {
    try (TestApi api = new TestApi()) {
      api.publisher.down.set(true);
      TestApi.Answer a =
          api.post(
              "/v1/batches",
              "{\"jobs\":[{\"prompt\":\"a\"},{\"prompt\":\"b\"},{\"prompt\":\"c\"}]}");
      assertEquals(202, a.status());
      Thread.sleep(300); // several relay passes fail meanwhile
      assertEquals(3, api.store.outboxSize(), "rows stay until acknowledged");
      assertTrue(api.dispatcher.metrics().scrape().contains("farm_outbox_publish_failures_total"));
      api.publisher.down.set(false);
      Await.until("outbox drained", () -> api.store.outboxSize() == 0);
      assertEquals(3, api.publisher.published.stream().map(m -> m.jobId()).distinct().count());
      assertTrue(
          api.publisher.published.stream()
              .allMatch(m -> m.batchKey() != null && m.batchKey().contains("1024x1024")));
    }
  }

  @Test
  void reaperRequeuesExpiredLeasesAndTheRelayRepublishesThem() {
    try (TestApi api = new TestApi()) {
      String id = api.post("/v1/jobs", "{\"prompt\":\"r\"}").json().path("id").asText();
      UUID job = UUID.fromString(id);
      Await.until("first publish", () -> api.publisher.published.size() == 1);
      api.store.claim(job, "w1", Duration.ofSeconds(30)).orElseThrow();
      api.store.expireLease(job);
      Await.until("re-queued", () -> api.store.status(job).orElseThrow() == JobStatus.QUEUED);
      Await.until("re-published", () -> api.publisher.published.size() == 2);
      assertEquals(job, api.publisher.published.get(1).jobId());
      Await.until(
          "reaper metric",
          () -> api.dispatcher.metrics().scrape().contains("farm_reaper_actions_total 1.0"));
    }
  }
}
