package io.cascadefarm.cascade.tools.parity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a fixture's {@code calls}: method, positional and keyword arguments, output keys
 * ({@code null} where the official method returns None) and the raw JSON (for extra fields such as
 * {@code formula}).
 */
public record FixtureCall(
    String name,
    String method,
    List<CallArg> positional,
    Map<String, CallArg> keyword,
    List<String> outputs,
    JsonNode json) {

  static FixtureCall parse(JsonNode node, String fixture) {
    String name = text(node, "name", fixture);
    String where = fixture + " call '" + name + "'";
    List<CallArg> positional = new ArrayList<>();
    for (JsonNode arg : node.path("positional_args")) {
      positional.add(CallArg.parse(text(arg, "param", where), arg, where));
    }
    Map<String, CallArg> keyword = new LinkedHashMap<>();
    node.path("keyword_args")
        .fields()
        .forEachRemaining(
            e -> keyword.put(e.getKey(), CallArg.parse(e.getKey(), e.getValue(), where)));
    List<String> outputs = new ArrayList<>();
    node.path("outputs").forEach(o -> outputs.add(o.isNull() ? null : o.asText()));
    return new FixtureCall(
        name,
        node.path("method").asText(""),
        Collections.unmodifiableList(positional),
        Collections.unmodifiableMap(keyword),
        Collections.unmodifiableList(outputs),
        node);
  }

  /** True when this call runs no model (e.g. {@code stage_c} {@code cfg_combine}). */
  public boolean isModelFree() {
    return method.startsWith("(no model call)");
  }

  /** Looks an argument up by parameter name among positional and keyword arguments. */
  public CallArg arg(String param) {
    for (CallArg a : positional) {
      if (a.name().equals(param)) {
        return a;
      }
    }
    return keyword.get(param);
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new FixtureFormatException(where + ": missing field '" + field + "'");
    }
    return v.asText();
  }
}
