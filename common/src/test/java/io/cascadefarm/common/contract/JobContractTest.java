package io.cascadefarm.common.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.common.config.ConfigException;
import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.StageParams;
import io.cascadefarm.common.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class JobContractTest {
  static final JobLimits API = ApiLimits.defaults().jobLimits();

  static JobParams read(String json, List<Violation> out) throws Exception {
    try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
      p.nextToken();
      return JobContract.read(p, "", API, (f, m) -> out.add(new Violation(f, m)));
    }
  }

  @Test
  void randomValidJobsPassTheContractBeforeAndAfterDefaultsAndSurviveJson() throws Exception {
    RandomJobs jobs = new RandomJobs(1, API);
    for (int i = 0; i < 2000; i++) {
      JobParams job = jobs.next();
      assertEquals(List.of(), JobContract.check(job, API), job.toString());
      List<Violation> problems = new ArrayList<>();
      assertEquals(job, read(Json.toJson(job), problems));
      assertEquals(List.of(), problems);
      JobParams resolved = JobDefaults.resolve(job, () -> 5L);
      assertEquals(List.of(), JobContract.check(resolved, API), resolved.toString());
      for (Field f : JobContract.FIELDS) {
        if (f.constantDefault() != null) {
          assertNotNull(f.valueIn(resolved), f + " has a default but stayed unset");
        }
      }
      assertNotNull(resolved.prior().steps());
      assertNotNull(resolved.decoder().shift());
    }
  }

  /**
   * A component added to JobParams, StageParams or LoraRef must be declared in the contract, or the
   * API could not take it and the worker's check would refuse every stored job that has it.
   */
  @Test
  void everyComponentOfTheJobRecordsIsDeclared() {
    assertEquals(wireNames(JobParams.class), names(JobContract.FIELDS));
    assertEquals(wireNames(StageParams.class), names(JobContract.PRIOR.properties()));
    assertEquals(wireNames(StageParams.class), names(JobContract.DECODER.properties()));
    assertEquals(
        wireNames(io.cascadefarm.common.job.LoraRef.class),
        names(JobContract.LORAS.items().properties()));
  }

  @Test
  void readOnlyFieldsAreRefusedFromClientsButKeptInStoredJobs() throws Exception {
    Field item =
        Field.object("lora", Field.string("name", 10), Field.string("sha256", 64).readOnly());
    JsonNode v = Json.mapper().readTree("{\"name\":\"a\",\"sha256\":\"ab\"}");
    List<Violation> out = new ArrayList<>();
    item.check(v, "loras[0]", API, (f, m) -> out.add(new Violation(f, m)), false);
    assertEquals(
        List.of(new Violation("loras[0].sha256", "is set by the server, not by clients")), out);
    out.clear();
    assertEquals(v, item.check(v, "loras[0]", API, (f, m) -> out.add(new Violation(f, m)), true));
    assertEquals(List.of(), out);
    assertTrue(item.schema(API).at("/properties/sha256/readOnly").booleanValue());
  }

  static List<String> wireNames(Class<? extends Record> type) {
    var snake = new com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy();
    return java.util.Arrays.stream(type.getRecordComponents())
        .map(c -> snake.translate(c.getName()))
        .toList();
  }

  static List<String> names(List<Field> fields) {
    return fields.stream().map(Field::name).toList();
  }

  @Test
  void everyFieldIsReadAndWrittenThroughItsDeclaration() {
    RandomJobs jobs = new RandomJobs(3, API);
    for (int i = 0; i < 200; i++) {
      JobParams p = JobDefaults.resolve(jobs.next(), () -> 9L);
      JobParams.Builder b = JobParams.builder();
      for (Field f : JobContract.FIELDS) {
        f.setIn(b, f.valueIn(p));
        if (f.type() == Field.Type.OBJECT) {
          Object v = f.valueIn(p);
          assertEquals(v, f.assembleFrom(f.properties().stream().map(c -> c.valueIn(v)).toList()));
        }
      }
      assertEquals(p, b.build());
    }
  }

  @Test
  void batchDefaultsFillOnlyWhatTheJobLeavesUnset() {
    RandomJobs jobs = new RandomJobs(4, API);
    for (int i = 0; i < 500; i++) {
      JobParams job = jobs.next();
      JobParams defaults = jobs.next();
      JobParams m = JobContract.merge(job, defaults);
      for (Field f : JobContract.FIELDS) {
        Object jv = f.valueIn(job);
        Object dv = f.valueIn(defaults);
        Object mv = f.valueIn(m);
        switch (f.type()) {
          case OBJECT -> {
            for (Field c : f.properties()) {
              Object cj = c.valueIn(jv);
              assertEquals(cj != null ? cj : c.valueIn(dv), c.valueIn(mv), f + "." + c);
            }
          }
          case ARRAY ->
              assertEquals(jv == null || ((List<?>) jv).isEmpty() ? dv : jv, mv, f.name());
          case MAP -> {
            Map<String, Object> expected = new java.util.HashMap<>((Map<String, Object>) dv);
            expected.putAll((Map<String, Object>) jv);
            assertEquals(expected, mv, f.name());
          }
          default -> assertEquals(jv != null ? jv : dv, mv, f.name());
        }
      }
    }
  }

  @Test
  void shiftUpToTwentyIsValidAndBeyondIsRefusedNamingTheField() throws Exception {
    List<Violation> problems = new ArrayList<>();
    JobParams p = read("{\"prompt\":\"a\",\"prior\":{\"shift\":18}}", problems);
    assertEquals(List.of(), problems);
    assertEquals(18.0, p.prior().shift());
    read("{\"prompt\":\"a\",\"decoder\":{\"shift\":20.5},\"prior\":{\"shift\":0}}", problems);
    assertEquals(
        List.of(
            new Violation(
                "decoder.shift", "must be a number greater than 0 and at most 20, got 20.5"),
            new Violation("prior.shift", "must be a number greater than 0 and at most 20, got 0")),
        problems.stream().sorted((a, b) -> a.field().compareTo(b.field())).toList());
    JobParams bad =
        JobParams.textToImage("a").toBuilder().prior(new StageParams(null, null, 25.0)).build();
    assertEquals("prior.shift", JobContract.check(bad, JobLimits.CEILING).get(0).field());
  }

  @Test
  void imageToImageAlwaysGetsAtLeastOneStep() {
    JobParams p =
        JobParams.builder()
            .kind(JobKind.IMAGE_TO_IMAGE)
            .image("uploads/" + "a".repeat(64) + ".png")
            .strength(0.01)
            .build();
    assertEquals(1, JobDefaults.resolve(p, () -> 1L).prior().steps());
    assertEquals(
        16, JobDefaults.resolve(p.toBuilder().strength(null).build(), () -> 1L).prior().steps());
  }

  @Test
  void theBatchKeyCoversExactlyTheSharedFields() {
    RandomJobs jobs = new RandomJobs(2, API);
    int changed = 0;
    for (int i = 0; i < 300; i++) {
      JobParams a = JobDefaults.resolve(jobs.next(), () -> 1L);
      JobParams b = JobDefaults.resolve(jobs.next(), () -> 2L);
      ObjectNode ta = Json.mapper().valueToTree(a);
      ObjectNode tb = Json.mapper().valueToTree(b);
      for (Field f : JobContract.FIELDS) {
        ObjectNode t = ta.deepCopy();
        JsonNode v = tb.get(f.name());
        if (v == null) {
          t.remove(f.name());
        } else {
          t.set(f.name(), v);
        }
        JobParams mixed = Json.mapper().convertValue(t, JobParams.class);
        boolean differs = !String.valueOf(f.valueIn(a)).equals(String.valueOf(f.valueIn(mixed)));
        if (f.batch() == Field.Batch.PER_JOB || !differs) {
          assertEquals(a.batchKey(), mixed.batchKey(), f.name());
        } else {
          assertNotEquals(a.batchKey(), mixed.batchKey(), f.name());
          changed++;
        }
      }
    }
    assertTrue(changed > 300, "too few shared fields changed: " + changed);
  }

  @Test
  void everyFieldIsInTheSchemaWithOpenApi30Bounds() {
    ObjectNode s = JobContract.schema(API);
    assertEquals(
        JobContract.FIELDS.stream().map(Field::name).toList(),
        iterable(s.get("properties").fieldNames()));
    JsonNode shift = s.at("/properties/prior/properties/shift");
    assertEquals(0, shift.get("minimum").asInt());
    assertTrue(shift.get("exclusiveMinimum").booleanValue());
    assertEquals(20, shift.get("maximum").asInt());
    assertEquals(8, s.at("/properties/images/maximum").asInt());
    assertEquals(4000, s.at("/properties/prompt/maxLength").asInt());
    assertEquals(1.1, s.at("/properties/decoder/properties/guidance/default").asDouble());
    assertEquals("int64", s.at("/properties/seed/format").asText());
    assertFalse(s.at("/properties/loras/items/additionalProperties").asBoolean());
  }

  @Test
  void configuredLimitsMayOnlyLowerTheContract() {
    ApiLimits lower = ApiLimits.from(ConfigSource.of(Map.of("farm.api.max-images-per-job", "2")));
    assertEquals(2, lower.jobLimits().maxImagesPerJob());
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ApiLimits.from(ConfigSource.of(Map.of("farm.api.max-dimension", "8192"))));
    assertTrue(e.getMessage().contains("farm.api.max-dimension"), e.getMessage());
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
