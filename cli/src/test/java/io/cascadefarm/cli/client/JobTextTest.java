package io.cascadefarm.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.json.Json;
import org.junit.jupiter.api.Test;

class JobTextTest {
  @Test
  void batchLineCountsFinishedJobsInTheBar() throws Exception {
    String line =
        JobText.batch(
            Json.mapper()
                .readTree(
                    "{\"job_count\":4,\"counts\":{\"queued\":1,\"running\":1,\"succeeded\":1,"
                        + "\"failed\":1,\"cancelled\":0},\"done\":false}"));

    assertTrue(line.startsWith("[" + "#".repeat(15) + ".".repeat(15) + "] 2/4"), line);
    assertTrue(line.contains("failed 1"), line);
  }

  @Test
  void jobShowsErrorAndImages() throws Exception {
    String text =
        JobText.job(
            Json.mapper()
                .readTree(
                    "{\"id\":\"j\",\"status\":\"failed\",\"attempts\":3,\"max_attempts\":3,"
                        + "\"error\":{\"code\":\"render_failed\",\"message\":\"boom\","
                        + "\"retryable\":true},\"result\":{\"images\":[{\"width\":64,"
                        + "\"height\":32,\"seed\":9,\"url\":\"http://s3/x.png\"}]}}"));

    assertEquals(
        "job j  failed  attempts 3/3\n  error render_failed: boom (retryable)\n"
            + "  image 64x32 seed 9  http://s3/x.png",
        text);
  }
}
