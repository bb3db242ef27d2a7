package io.cascadefarm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cli.farm.StandaloneFarm;
import io.cascadefarm.cli.farm.StandaloneOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance scenario of issue 2 on the real embedded Kafka, PostgreSQL and S3: a standalone
 * farm with two in-process workers, {@code POST /v1/batches} of 50 tiny text-to-image jobs, all 50
 * succeed, and each has a decodable PNG of the requested size behind its presigned URL. The workers
 * render with the real Stable Cascade pipeline ({@link
 * io.cascadefarm.cli.farm.FarmRenderers#create}, as {@code farm standalone} does) with the default
 * steps.
 */
class FiftyTinyJobsEndToEndTest {
  @TempDir Path dataDir;

  @Test
  void fiftyTinyJobsSucceedWithPngsOfTheRequestedSize() throws Exception {
    try (StandaloneFarm farm =
        StandaloneFarm.start(
            StandaloneOptions.ephemeral(dataDir, 2, null).withSettings(Models.TEST_SETTINGS),
            System.out)) {
      FarmApi api = new FarmApi(farm.apiUrl());
      String batch = api.submitTinyBatch(50, 64, 64);

      JsonNode done = api.awaitDone(batch, Duration.ofMinutes(20));

      assertEquals(50, done.path("counts").path("succeeded").asInt(), () -> done.toString());
      List<String> ids = api.jobIds(batch);
      assertEquals(50, new HashSet<>(ids).size());
      for (String id : ids) {
        api.assertSucceededWithPng(id, 64, 64);
      }
    }
  }
}
