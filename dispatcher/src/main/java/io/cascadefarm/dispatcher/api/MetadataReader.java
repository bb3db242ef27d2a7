package io.cascadefarm.dispatcher.api;

import static io.cascadefarm.dispatcher.api.JobFieldLimits.MAX_METADATA_BYTES;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.util.Map;

/**
 * Reads free-form {@code metadata}: a JSON object stored and echoed unchanged, at most {@value
 * JobFieldLimits#MAX_METADATA_BYTES} bytes once serialised (depth is bounded by the parser).
 */
final class MetadataReader {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private MetadataReader() {}

  static Map<String, Object> read(JsonParser p, String f, ErrorScope s) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return Values.wrongType(p, f, "must be an object", s);
    }
    JsonNode tree = Json.mapper().readTree(p);
    int size = Json.toBytes(tree).length;
    if (size > MAX_METADATA_BYTES) {
      s.add(f, "must be at most " + MAX_METADATA_BYTES + " bytes of JSON, got " + size);
      return null;
    }
    Map<String, Object> map = Json.mapper().convertValue(tree, MAP);
    map.values().removeIf(java.util.Objects::isNull);
    return map;
  }
}
