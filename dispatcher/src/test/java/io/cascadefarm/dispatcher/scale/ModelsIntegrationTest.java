package io.cascadefarm.dispatcher.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.port.WorkerModels;
import io.cascadefarm.db.WorkerModelTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/models} groups the workers' recent reports by variant. */
class ModelsIntegrationTest {
  static ScaleFarm farm;

  @BeforeAll
  static void start() {
    farm = new ScaleFarm(Map.of());
  }

  @AfterAll
  static void stop() {
    if (farm != null) {
      farm.close();
    }
  }

  @Test
  void variantsAreListedWithTheWorkersThatHaveThem() {
    String a = "w-" + UUID.randomUUID();
    String gone = "w-" + UUID.randomUUID();
    Instant now = Instant.now();
    WorkerModelTable table = new WorkerModelTable(farm.db.dataSource());
    table.report(
        List.of(
            new WorkerModels.Report(a, "lite", true, true, "fp16", "gpu(0)", 4200L, now),
            new WorkerModels.Report(a, "big", false, false, "fp16", "gpu(0)", null, now),
            new WorkerModels.Report(
                gone, "lite", true, true, "fp32", "cpu", 900L, now.minusSeconds(3600))));
    JsonNode models = farm.get(farm.newKey(), "/v1/models").json().path("models");
    JsonNode lite = null;
    JsonNode big = null;
    for (JsonNode m : models) {
      if (m.path("model").asText().equals("lite")) {
        lite = m;
      }
      if (m.path("model").asText().equals("big")) {
        big = m;
      }
    }
    assertTrue(lite != null && big != null, models.toString());
    assertTrue(lite.path("renderable").asBoolean());
    JsonNode mine = null;
    for (JsonNode w : lite.path("workers")) {
      assertTrue(
          !w.path("worker").asText().equals(gone), "a worker not seen for an hour is left out");
      if (w.path("worker").asText().equals(a)) {
        mine = w;
      }
    }
    assertTrue(mine != null, lite.toString());
    assertEquals("fp16", mine.path("precision").asText());
    assertEquals("gpu(0)", mine.path("device").asText());
    assertEquals(4200, mine.path("load_millis").asLong());
  }
}
