package io.cascadefarm.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchFileTest {
  @TempDir Path dir;

  private ObjectNode flags(String json) throws Exception {
    return (ObjectNode) Json.mapper().readTree(json);
  }

  @Test
  void jsonBatchKeepsItsDefaultsAndFlagsWin() throws Exception {
    Path f = dir.resolve("b.json");
    Files.writeString(
        f, "{\"defaults\":{\"model\":\"lite\",\"width\":512},\"jobs\":[{\"prompt\":\"a\"}]}");

    ObjectNode body = BatchFile.read(f, flags("{\"model\":\"tiny\"}"));

    assertEquals("tiny", body.path("defaults").path("model").asText());
    assertEquals(512, body.path("defaults").path("width").asInt());
    assertEquals("a", body.path("jobs").get(0).path("prompt").asText());
  }

  @Test
  void bareArrayBecomesTheJobs() throws Exception {
    Path f = dir.resolve("b.json");
    Files.writeString(f, "[{\"prompt\":\"a\"},{\"prompt\":\"b\"}]");

    ObjectNode body = BatchFile.read(f, flags("{}"));

    assertEquals(2, body.path("jobs").size());
    assertTrue(body.path("defaults").isObject());
  }

  @Test
  void ndjsonHasOneJobPerNonBlankLine() throws Exception {
    Path f = dir.resolve("b.ndjson");
    Files.writeString(f, "{\"prompt\":\"a\"}\n\n{\"prompt\":\"b\"}\n");

    ObjectNode body = BatchFile.read(f, flags("{\"width\":64}"));

    assertEquals(2, body.path("jobs").size());
    assertEquals(64, body.path("defaults").path("width").asInt());
  }

  @Test
  void badNdjsonLineIsNamed() throws Exception {
    Path f = dir.resolve("b.jsonl");
    Files.writeString(f, "{\"prompt\":\"a\"}\n{oops\n");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BatchFile.read(f, flags("{}")));

    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void objectWithoutJobsIsRejectedNamingTheField() throws Exception {
    Path f = dir.resolve("b.json");
    Files.writeString(f, "{\"defaults\":{}}");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BatchFile.read(f, flags("{}")));

    assertTrue(e.getMessage().contains("\"jobs\""), e.getMessage());
  }
}
