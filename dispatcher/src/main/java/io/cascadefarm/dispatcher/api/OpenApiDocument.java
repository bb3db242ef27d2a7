package io.cascadefarm.dispatcher.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.0 document that {@code GET /openapi.json} serves: the routes and responses written
 * in the resource {@value #RESOURCE}, with the job schema ({@code components.schemas.JobRequest})
 * generated from the {@link JobContract} and the configured limits filled in, so the document
 * cannot drift from what the API accepts.
 */
public final class OpenApiDocument {
  public static final String RESOURCE = "/io/cascadefarm/dispatcher/openapi.json";

  private OpenApiDocument() {}

  /** The document for a dispatcher configured with {@code limits}. */
  public static ObjectNode of(ApiLimits limits) {
    ObjectNode doc = template();
    ObjectNode schemas = (ObjectNode) doc.at("/components/schemas");
    schemas.set("JobRequest", JobContract.schema(limits.jobLimits()));
    ((ObjectNode) schemas.at("/BatchRequest/properties/jobs"))
        .put("maxItems", limits.maxJobsPerBatch());
    ((ObjectNode) schemas.at("/BatchRequest/properties"))
        .setAll(io.cascadefarm.common.contract.BatchContract.schemaProperties());
    return doc;
  }

  /** {@link #of} as indented JSON bytes. */
  public static byte[] bytes(ApiLimits limits) {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(of(limits));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The input of generated clients: {@link #of} with the {@code default} keywords of the request
   * schemas ({@code JobRequest}, {@code BatchRequest}) moved into their descriptions. Generators
   * materialize schema defaults into every request they build, which would send, e.g., {@code
   * "priority": "normal"} with each job and so override a batch's {@code defaults} and envelope;
   * the server applies those defaults itself.
   */
  public static ObjectNode clientDocument(ApiLimits limits) {
    ObjectNode doc = of(limits);
    for (String schema : new String[] {"JobRequest", "BatchRequest"}) {
      stripDefaults(doc.at("/components/schemas/" + schema));
    }
    return doc;
  }

  private static void stripDefaults(com.fasterxml.jackson.databind.JsonNode n) {
    if (n instanceof ObjectNode o) {
      com.fasterxml.jackson.databind.JsonNode d = o.remove("default");
      if (d != null) {
        String text = o.path("description").asText("");
        o.put("description", (text.isEmpty() ? "" : text + "; ") + "server default " + d);
      }
      o.fields().forEachRemaining(e -> stripDefaults(e.getValue()));
    } else if (n != null && n.isArray()) {
      n.forEach(OpenApiDocument::stripDefaults);
    }
  }

  /**
   * Writes {@link #clientDocument} of the default limits to the file {@code args[0]}: the build's
   * input of the generated clients ({@code clients/python}), so they follow every change of the
   * API.
   */
  public static void main(String[] args) throws IOException {
    java.nio.file.Path out = java.nio.file.Path.of(args[0]);
    if (out.getParent() != null) {
      java.nio.file.Files.createDirectories(out.getParent());
    }
    java.nio.file.Files.write(
        out,
        Json.mapper()
            .writerWithDefaultPrettyPrinter()
            .writeValueAsBytes(clientDocument(ApiLimits.defaults())));
  }

  private static ObjectNode template() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return (ObjectNode) Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
