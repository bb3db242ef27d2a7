package io.cascadefarm.cascade.tools.parity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One argument of a fixture call: exactly one of a tensor key, a tensor list (null entries allowed)
 * or a JSON literal value.
 *
 * @param name official Python parameter name
 * @param tensor io key, or null
 * @param tensorList io keys (entries may be null), or null
 * @param value literal, or null
 */
public record CallArg(String name, String tensor, List<String> tensorList, JsonNode value) {

  static CallArg parse(String name, JsonNode node, String where) {
    if (node.has("tensor")) {
      return new CallArg(name, node.get("tensor").asText(), null, null);
    }
    if (node.has("tensor_list")) {
      List<String> keys = new java.util.ArrayList<>();
      node.get("tensor_list").forEach(k -> keys.add(k.isNull() ? null : k.asText()));
      return new CallArg(name, null, keys, null);
    }
    if (node.has("value")) {
      return new CallArg(name, null, null, node.get("value"));
    }
    throw new FixtureFormatException(
        where + ": argument '" + name + "' needs 'tensor', 'tensor_list' or 'value'");
  }
}
