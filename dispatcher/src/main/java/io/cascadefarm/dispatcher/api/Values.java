package io.cascadefarm.dispatcher.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;

/**
 * Typed reads of the parser's current value. Each returns null and records an error naming the
 * field when the value has the wrong type or is out of range; JSON {@code null} means "unset".
 */
final class Values {
  private Values() {}

  static Integer readInt(JsonParser p, String field, int min, int max, ErrorScope s)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    String range = "must be an integer between " + min + " and " + max;
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      s.add(field, range + ", got a fraction");
      return null;
    }
    if (t != JsonToken.VALUE_NUMBER_INT) {
      return wrongType(p, field, range, s);
    }
    if (p.getNumberType() != JsonParser.NumberType.INT
        || p.getIntValue() < min
        || p.getIntValue() > max) {
      s.add(field, range + ", got " + p.getText());
      return null;
    }
    return p.getIntValue();
  }

  static Long readNonNegativeLong(JsonParser p, String field, ErrorScope s) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    String range = "must be an integer between 0 and " + Long.MAX_VALUE;
    if (t != JsonToken.VALUE_NUMBER_INT) {
      return wrongType(p, field, range, s);
    }
    BigInteger v = p.getBigIntegerValue();
    if (v.signum() < 0 || v.bitLength() > 63) {
      s.add(field, range + ", got " + p.getText());
      return null;
    }
    return v.longValue();
  }

  /** A finite number in [min, max] (or (min, max] when {@code minExclusive}). */
  static Double readDouble(
      JsonParser p, String field, double min, double max, boolean minExclusive, ErrorScope s)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    String range =
        "must be a number "
            + (minExclusive ? "greater than " : "between ")
            + fmt(min)
            + (minExclusive ? " and at most " : " and ")
            + fmt(max);
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      return wrongType(p, field, range, s);
    }
    double v = p.getDoubleValue();
    boolean low = minExclusive ? v <= min : v < min;
    if (!Double.isFinite(v) || low || v > max) {
      s.add(field, range + ", got " + p.getText());
      return null;
    }
    return v;
  }

  static String readString(JsonParser p, String field, int maxChars, ErrorScope s)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      return wrongType(p, field, "must be a string", s);
    }
    String v = p.getText();
    if (v.length() > maxChars) {
      s.add(field, "must be at most " + maxChars + " characters, got " + v.length());
      return null;
    }
    if (v.indexOf('\u0000') >= 0) {
      s.add(field, "must not contain NUL characters");
      return null;
    }
    return v;
  }

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

  /** A user value shortened for an error message. */
  static String clip(String v) {
    return v.length() <= 40 ? v : v.substring(0, 40) + "...";
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
