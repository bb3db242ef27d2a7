package io.cascadefarm.common.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.topic.JobEventMessage;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void eventRoundTripsInSnakeCaseWithWireEnums() {
    JobEventMessage e =
        new JobEventMessage(
            JobEventMessage.PROGRESS,
            UUID.randomUUID(),
            null,
            "t1",
            JobStatus.RUNNING,
            new JobProgress("prior", 3, 20),
            null,
            "w1",
            Instant.parse("2026-01-01T00:00:00Z"));
    String json = Json.toJson(e);
    assertTrue(json.contains("\"job_id\""), json);
    assertTrue(json.contains("\"status\":\"running\""), json);
    assertTrue(json.contains("2026-01-01T00:00:00Z"), json);
    assertEquals(e, Json.fromBytes(json.getBytes(), JobEventMessage.class));
  }

  @Test
  void paramsRoundTrip() {
    JobParams p = JobParams.textToImage("a dog");
    String json = Json.toJson(p);
    assertTrue(json.contains("\"kind\":\"text_to_image\""), json);
    assertTrue(json.contains("\"negative_prompt\"") || !json.contains("negativePrompt"), json);
    assertEquals(p, Json.fromBytes(json.getBytes(), JobParams.class));
  }
}
