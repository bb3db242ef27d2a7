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
