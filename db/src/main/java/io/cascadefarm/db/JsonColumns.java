package io.cascadefarm.db;

import io.cascadefarm.common.json.Json;
import java.nio.charset.StandardCharsets;

/** JSONB columns are written and read with the farm's one JSON mapping ({@link Json}). */
final class JsonColumns {
  private JsonColumns() {}

  static String write(Object value) {
    return value == null ? null : Json.toJson(value);
  }

  static <T> T read(String json, Class<T> type) {
    return json == null ? null : Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), type);
  }
}
