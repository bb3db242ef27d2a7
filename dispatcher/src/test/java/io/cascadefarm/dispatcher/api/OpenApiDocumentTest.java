package io.cascadefarm.dispatcher.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.contract.Field;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.contract.RandomJobs;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.json.Json;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document is valid for the version it declares, checked by an independent
 * validator: the official OpenAPI 3.0 JSON Schema (spec.openapis.org/oas/3.0/schema/2021-09-28, as
 * shipped in vertx-openapi) applied with vertx-json-schema. Its job schema is generated from the
 * job contract; random valid jobs validate against it, and values just past a bound are refused
 * both by the schema and by the API's reader, naming the field.
 */
class OpenApiDocumentTest {
  static Vertx vertx;
  final ApiLimits limits = ApiLimits.defaults();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static OutputUnit validateDocument(JsonNode doc) {
    JsonObject json = new JsonObject(Json.toJson(doc));
    OpenAPIVersion version = OpenAPIVersion.fromContract(json);
    SchemaRepository repo = version.getRepository(vertx, "app:///").await();
    return version.validateContract(vertx, repo, json).await();
  }

  static String errors(OutputUnit out) {
    return out.getErrors() == null
        ? ""
        : out.getErrors().stream()
            .map(e -> e.getInstanceLocation() + " " + e.getError())
            .collect(Collectors.joining("\n"));
  }

  @Test
  void theServedDocumentIsValidOpenApi30() {
    ObjectNode doc = OpenApiDocument.of(limits);
    assertEquals("3.0.3", doc.path("openapi").asText());
    assertEquals(
        OpenAPIVersion.V3_0, OpenAPIVersion.fromContract(new JsonObject(Json.toJson(doc))));
    OutputUnit out = validateDocument(doc);
    assertTrue(out.getValid(), errors(out));
    assertEquals("/", doc.at("/servers/0/url").asText());
  }

  @Test
  void theValidatorRefusesA31ExclusiveMinimumInA30Document() {
    ObjectNode doc = OpenApiDocument.of(limits);
    ObjectNode shift = (ObjectNode) doc.at("/components/schemas/JobRequest/properties/prior");
    ((ObjectNode) shift.at("/properties/shift")).put("exclusiveMinimum", 0);
    OutputUnit out = validateDocument(doc);
    assertFalse(out.getValid());
    assertTrue(errors(out).contains("exclusiveMinimum"), errors(out));
  }

  @Test
  void theJobSchemaIsTheContractWithTheConfiguredLimits() {
    ApiLimits lowered =
        ApiLimits.from(
            ConfigSource.of(
                Map.of("farm.api.max-images-per-job", "3", "farm.api.max-jobs-per-batch", "50")));
    ObjectNode doc = OpenApiDocument.of(lowered);
    JsonNode job = doc.at("/components/schemas/JobRequest");
    assertEquals(JobContract.schema(lowered.jobLimits()), job);
    assertEquals(3, job.at("/properties/images/maximum").asInt());
    assertEquals(50, doc.at("/components/schemas/BatchRequest/properties/jobs/maxItems").asInt());
    assertEquals(
        JobContract.FIELDS.stream().map(Field::name).toList(),
        List.copyOf(iterate(job.get("properties").fieldNames())));
  }

  @Test
  void randomValidJobsMatchTheSchemaAndValuesPastABoundAreRefusedByBoth() {
    JsonNode schemaNode = OpenApiDocument.of(limits).at("/components/schemas/JobRequest");
    Validator schema =
        Validator.create(
            JsonSchema.of(new JsonObject(Json.toJson(schemaNode))),
            new JsonSchemaOptions()
                .setDraft(Draft.DRAFT4)
                .setBaseUri("app:///")
                .setOutputFormat(OutputFormat.Basic));
    BodyReaders readers = new BodyReaders(limits);
    RandomJobs jobs = new RandomJobs(11, limits.jobLimits());
    for (int i = 0; i < 1000; i++) {
      JobParams job = jobs.next();
      String json = Json.toJson(job);
      OutputUnit out = schema.validate(new JsonObject(json));
      assertTrue(out.getValid(), json + "\n" + errors(out));
      assertEquals(job, readers.readJob(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    for (String[] bad :
        new String[][] {
          {"width", "{\"prompt\":\"a\",\"width\":4104}"},
          {"height", "{\"prompt\":\"a\",\"height\":60}"},
          {"images", "{\"prompt\":\"a\",\"images\":9}"},
          {"seed", "{\"prompt\":\"a\",\"seed\":-1}"},
          {"prior.shift", "{\"prompt\":\"a\",\"prior\":{\"shift\":0}}"},
          {"prior.shift", "{\"prompt\":\"a\",\"prior\":{\"shift\":20.01}}"},
          {"decoder.steps", "{\"prompt\":\"a\",\"decoder\":{\"steps\":201}}"},
          {"prior.guidance", "{\"prompt\":\"a\",\"prior\":{\"guidance\":50.5}}"},
          {"prompt", "{\"prompt\":\"" + "x".repeat(4001) + "\"}"},
          {"model", "{\"prompt\":\"a\",\"model\":\"huge\"}"},
          {"loras[0].strength", "{\"prompt\":\"a\",\"loras\":[{\"name\":\"s\",\"strength\":4.5}]}"},
          {"colour", "{\"prompt\":\"a\",\"colour\":1}"}
        }) {
      assertFalse(schema.validate(new JsonObject(bad[1])).getValid(), bad[1]);
      ApiException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ApiException.class,
              () -> readers.readJob(bad[1].getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertEquals(400, e.status());
      assertEquals(bad[0], e.fields().get(0).field(), bad[1]);
    }
  }

  private static List<String> iterate(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
