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
    byte[] json = Json.toBytes(tree);
    int size = json.length;
    if (size > MAX_METADATA_BYTES) {
      s.add(f, "must be at most " + MAX_METADATA_BYTES + " bytes of JSON, got " + size);
      return null;
    }
    if (hasNul(tree)) {
      // PostgreSQL JSONB cannot store U+0000 (it would fail the insert with a 5xx)
      s.add(f, "must not contain NUL characters (\\u0000) in keys or values");
      return null;
    }
    Map<String, Object> map = Json.mapper().convertValue(tree, MAP);
    map.values().removeIf(java.util.Objects::isNull);
    return map;
  }

  private static boolean hasNul(JsonNode n) {
    if (n.isTextual()) {
      return n.textValue().indexOf('\u0000') >= 0;
    }
    var fields = n.fieldNames();
    while (fields.hasNext()) {
      if (fields.next().indexOf('\u0000') >= 0) {
        return true;
      }
    }
    for (JsonNode child : n) {
      if (hasNul(child)) {
        return true;
      }
    }
    return false;
  }
}
