package io.cascadefarm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cli.farm.StandaloneFarm;
import io.cascadefarm.cli.farm.StandaloneOptions;
import io.cascadefarm.embedded.ServiceEndpoints;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone farm survives a restart on the same data directory: jobs accepted by a farm without
 * workers are all still there after a full stop, keep their ids and params, and are rendered once
 * the restarted farm has a worker.
 */
class RestartEndToEndTest {
  @TempDir Path dataDir;

  @Test
  void queuedJobsSurviveAStopAndAreRenderedAfterTheRestart() throws Exception {
    String batch;
    List<String> ids;
    JsonNode firstJob;
    StandaloneOptions first =
        StandaloneOptions.ephemeral(dataDir, 0, null).withSettings(Models.TEST_SETTINGS);
    StandaloneOptions again;
    try (StandaloneFarm farm = StandaloneFarm.start(first, System.out)) {
      FarmApi api = new FarmApi(farm.apiUrl());
      batch = api.submitQuickTinyBatch(8, 128, 64);
      ids = api.jobIds(batch);
      firstJob = api.job(ids.get(0));
      assertEquals("queued", firstJob.path("status").asText());
      again = samePorts(first, farm);
      assertTrue(Files.isRegularFile(dataDir.resolve("farm.properties")));
    }

    try (StandaloneFarm farm = StandaloneFarm.start(withOneWorker(again), System.out)) {
      FarmApi api = new FarmApi(farm.apiUrl());
      assertEquals(8, api.batch(batch).path("job_count").asInt());
      assertEquals(ids, api.jobIds(batch));
      assertEquals(firstJob.path("params"), api.job(ids.get(0)).path("params"));

      JsonNode done = api.awaitDone(batch, Duration.ofMinutes(10));

      assertEquals(8, done.path("counts").path("succeeded").asInt(), () -> done.toString());
      for (String id : ids) {
        api.assertSucceededWithPng(id, 128, 64);
      }
    }
  }

  /** The ports the first farm actually used, so the restart looks exactly like a user's. */
  private static StandaloneOptions samePorts(StandaloneOptions o, StandaloneFarm farm) {
    ServiceEndpoints e = farm.endpoints();
    int kafka = Integer.parseInt(e.kafkaBootstrapServers().replaceAll(".*:", ""));
    int postgres = Integer.parseInt(e.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));
    int s3 = URI.create(e.s3Endpoint()).getPort();
    return o.withPorts(farm.httpPort(), kafka, postgres, s3);
  }

  private static StandaloneOptions withOneWorker(StandaloneOptions o) {
    return new StandaloneOptions(
        o.dataDir(),
        o.httpPort(),
        o.kafkaPort(),
        o.postgresPort(),
        o.s3Port(),
        1,
        o.model(),
        o.renderer(),
        o.settings());
  }
}
