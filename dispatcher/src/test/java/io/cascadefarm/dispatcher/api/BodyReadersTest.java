package io.cascadefarm.dispatcher.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BodyReadersTest {
  final BodyReaders readers = new BodyReaders(ApiLimits.defaults());

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  String errors(String body) {
    ApiException e = assertThrows(ApiException.class, () -> readers.readJob(b(body)));
    assertEquals(400, e.status());
    return e.fields().stream()
        .map(f -> f.field() + ": " + f.message())
        .collect(Collectors.joining("\n"));
  }

  @Test
  void readsEveryField() {
    JobParams p =
        readers.readJob(
            b(
                "{\"kind\":\"controlnet\",\"prompt\":\"p\",\"negative_prompt\":\"n\",\"width\":768,\"height\":1024,"
                    + "\"seed\":9223372036854775807,\"images\":2,\"model\":\"big\",\"prior\":{\"steps\":30,\"guidance\":5,\"shift\":1.5},"
                    + "\"decoder\":{\"steps\":12,\"guidance\":1.1},\"image\":\"uploads/"
                    + "0".repeat(64)
                    + ".png\",\"control\":\"inpainting\","
                    + "\"mask\":\"uploads/"
                    + "1".repeat(64)
                    + ".png\",\"control_strength\":0.7,\"loras\":[{\"name\":\"style.v1\",\"strength\":0.8}],"
                    + "\"metadata\":{\"row\":7,\"tags\":[\"a\",null]}}"));
    assertEquals(JobKind.CONTROLNET, p.kind());
    assertEquals(Long.MAX_VALUE, p.seed());
    assertEquals(30, p.prior().steps());
    assertEquals(1.5, p.prior().shift());
    assertEquals("style.v1", p.loras().get(0).name());
    assertEquals(7, p.metadata().get("row"));
    assertNull(p.strength());
  }

  @Test
  void malformedInputNamesWhereItBroke() {
    assertTrue(
        errors("{\"prompt\":\"a\",\"width\":").startsWith("width: malformed JSON"),
        errors("{\"prompt\":\"a\",\"width\":"));
    byte[] utf = {
      '{', '"', 'p', 'r', 'o', 'm', 'p', 't', '"', ':', '"', (byte) 0xc3, '(', '"', '}'
    };
    ApiException e = assertThrows(ApiException.class, () -> readers.readJob(utf));
    assertEquals("prompt", e.fields().get(0).field());
    assertTrue(e.fields().get(0).message().contains("UTF-8"), e.fields().get(0).message());
    String deep =
        errors(
            "{\"prompt\":\"x\",\"metadata\":" + "{\"a\":".repeat(50) + "1" + "}".repeat(50) + "}");
    assertTrue(deep.startsWith("metadata.a.a.a"), deep);
    assertTrue(deep.contains("nesting depth"), deep);
    String huge = errors("{\"prompt\":\"" + "x".repeat(JsonBodies.MAX_STRING + 10) + "\"}");
    assertTrue(huge.startsWith("prompt: malformed JSON: String value length"), huge);
    assertTrue(
        errors("{\"prompt\":\"" + "x".repeat(4001) + "\"}")
            .startsWith("prompt: must be at most 4000 characters"));
    assertTrue(errors("{\"prompt\":\"a\",\"prompt\":\"b\"}").contains("Duplicate field 'prompt'"));
    assertTrue(errors("[1]").startsWith("body: must be a JSON object"));
    assertTrue(errors("{\"prompt\":\"a\"} []").startsWith("body: unexpected content"));
  }

  @Test
  void numbersOutOfRangeAreRefusedWithTheRange() {
    assertTrue(
        errors("{\"prompt\":\"a\",\"width\":1e400}")
            .startsWith("width: must be an integer between 64 and 4096, got a fraction"));
    assertTrue(
        errors("{\"prompt\":\"a\",\"seed\":99999999999999999999}")
            .startsWith("seed: must be an integer between 0 and"));
    assertTrue(
        errors("{\"prompt\":\"a\",\"prior\":{\"guidance\":1e400}}")
            .startsWith("prior.guidance: must be a number between 0 and 50"));
    assertTrue(
        errors("{\"prompt\":\"a\",\"prior\":{\"shift\":0}}")
            .startsWith("prior.shift: must be a number greater than 0"));
    assertTrue(
        errors("{\"prompt\":\"a\",\"width\":4104}")
            .startsWith("width: must be an integer between 64 and 4096"));
  }

  @Test
  void crossFieldRules() {
    assertTrue(errors("{\"kind\":\"text_to_image\"}").startsWith("prompt: is required"));
    assertTrue(
        errors("{\"prompt\":\"a\",\"strength\":0.5}")
            .startsWith("strength: is only used by kind image_to_image"));
    String cn =
        errors("{\"kind\":\"controlnet\",\"image\":\"uploads/" + "0".repeat(64) + ".png\"}");
    assertTrue(
        cn.contains("control: is required") && cn.contains("model: ControlNets exist only"), cn);
  }

  @Test
  void ndjsonKeepsLineNumbersAcrossBlankLines() {
    ParsedBatch p =
        readers.readNdjson(b("\n{\"prompt\":\"a\"}\n\n  \r\n{\"prompt\":1}\n{\"prompt\":\"c\"}"));
    // blank lines hold no item (a body of blank lines costs no list entries) but keep the numbers
    assertEquals(3, p.jobs().size());
    assertTrue(p.isBad(1));
    assertEquals(5, p.errors().listed().get(0).line());
    assertEquals("lines[5].prompt", p.errors().listed().get(0).field());
    assertEquals("c", p.jobs().get(2).prompt());
    assertEquals("lines[6]", p.prefix(2));
  }

  @Test
  void batchDefaultsMayComeAfterTheJobs() {
    ParsedBatch p =
        readers.readBatch(
            b("{\"jobs\":[{\"prompt\":\"a\"}],\"defaults\":{\"width\":256,\"prompt\":\"d\"}}"));
    JobParams merged = ParamsMerger.merge(p.jobs().get(0), p.defaults());
    assertEquals(256, merged.width());
    assertEquals("a", merged.prompt());
  }
}
