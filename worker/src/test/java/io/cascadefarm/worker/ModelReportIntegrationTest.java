package io.cascadefarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.port.WorkerModels;
import io.cascadefarm.db.WorkerModelTable;
import io.cascadefarm.worker.testing.PngRenderer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A worker process reports its model variants into PostgreSQL for GET /v1/models. */
class ModelReportIntegrationTest {

  @Test
  void aStartedWorkerProcessReportsEveryVariant() throws Exception {
    try (ItFarm farm = new ItFarm()) {
      String id = "models-" + UUID.randomUUID();
      Instant before = Instant.now().minusSeconds(1);
      try (WorkerProcess p =
          WorkerProcess.start(
              farm.config(id, "farm.models.dir", "/nonexistent-models"), new PngRenderer(1))) {
        WorkerModelTable table = new WorkerModelTable(farm.db.dataSource());
        List<WorkerModels.Report> rows = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (rows.size() < 3 && System.nanoTime() < deadline) {
          rows = table.seenSince(before).stream().filter(r -> r.worker().equals(id)).toList();
          Thread.sleep(100);
        }
        assertEquals(
            List.of("big", "lite", "tiny"),
            rows.stream().map(WorkerModels.Report::model).sorted().toList());
        for (WorkerModels.Report r : rows) {
          assertEquals(r.model().equals("tiny"), r.weightsPresent(), r.toString());
          assertFalse(r.loaded(), "nothing rendered yet: " + r);
          assertEquals("fp32", r.precision());
        }
        assertTrue(p.workers().size() == 1);
      }
    }
  }
}
