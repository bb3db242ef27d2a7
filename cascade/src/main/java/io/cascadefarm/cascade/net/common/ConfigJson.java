package io.cascadefarm.cascade.net.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads constructor kwargs from a fixture/config JSON with clear errors naming the field. */
public final class ConfigJson {
  private final JsonNode node;
  private final String what;

  public ConfigJson(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + ": config must be a JSON object");
    }
    this.node = node;
    this.what = what;
  }

  public boolean has(String field) {
    return node.hasNonNull(field);
  }

  private JsonNode get(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(what + ": missing config field '" + field + "'");
    }
    return v;
  }

  public int integer(String field, int fallback) {
    return has(field) ? integer(field) : fallback;
  }

  public int integer(String field) {
    JsonNode v = get(field);
    if (!v.canConvertToInt()) {
      throw new IllegalArgumentException(
          what + ": config field '" + field + "' must be an int, got " + v);
    }
    return v.asInt();
  }

  public int[] ints(String field) {
    JsonNode v = array(field);
    int[] out = new int[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i).asInt();
    }
    return out;
  }

  public int[][] intMatrix(String field) {
    JsonNode v = array(field);
    int[][] out = new int[v.size()][];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).isArray()) {
        throw new IllegalArgumentException(
            what + ": config field '" + field + "' must be a list of lists");
      }
      out[i] = new int[v.get(i).size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = v.get(i).get(j).asInt();
      }
    }
    return out;
  }

  public List<String> strings(String field) {
    List<String> out = new ArrayList<>();
    array(field).forEach(s -> out.add(s.asText()));
    return out;
  }

  /** A boolean or a list of booleans broadcast to {@code n} entries. */
  public boolean[] booleans(String field, int n, boolean fallback) {
    boolean[] out = new boolean[n];
    if (!has(field)) {
      java.util.Arrays.fill(out, fallback);
      return out;
    }
    JsonNode v = get(field);
    for (int i = 0; i < n; i++) {
      out[i] = v.isArray() ? v.get(Math.min(i, v.size() - 1)).asBoolean() : v.asBoolean();
    }
    return out;
  }

  private JsonNode array(String field) {
    JsonNode v = get(field);
    if (!v.isArray()) {
      throw new IllegalArgumentException(
          what + ": config field '" + field + "' must be a list, got " + v);
    }
    return v;
  }
}
