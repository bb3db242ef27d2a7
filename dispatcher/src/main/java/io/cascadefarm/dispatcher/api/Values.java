package io.cascadefarm.dispatcher.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Helpers for the body shapes around jobs (envelope, arrays, NDJSON lines): describe a token for an
 * error message, or record a wrong type and skip the value. Job fields themselves are checked by
 * the {@link io.cascadefarm.common.contract.JobContract}.
 */
final class Values {
  private Values() {}

  /** Records "must be X, got <type>" and skips the value (including nested content). */
  static <T> T wrongType(JsonParser p, String field, String expected, ErrorScope s)
      throws IOException {
    s.add(field, expected + ", got " + describe(p.currentToken()));
    p.skipChildren();
    return null;
  }

  static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    switch (t) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      default:
        return t.asString() == null ? t.name().toLowerCase() : t.asString();
    }
  }
}
