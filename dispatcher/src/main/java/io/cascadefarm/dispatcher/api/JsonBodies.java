package io.cascadefarm.dispatcher.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The hardened JSON parser settings for request bodies: nesting depth at most {@value #MAX_DEPTH},
 * strings at most {@value #MAX_STRING} chars, numbers at most {@value #MAX_NUMBER_DIGITS} digits,
 * duplicate keys rejected. Also turns a parser position into a field path such as {@code
 * jobs[3].prior.steps}.
 */
public final class JsonBodies {
  public static final int MAX_DEPTH = 32;
  public static final int MAX_STRING = 1 << 20;
  public static final int MAX_NUMBER_DIGITS = 64;
  private static final JsonFactory FACTORY = create();

  private JsonBodies() {}

  public static JsonFactory factory() {
    return FACTORY;
  }

  private static JsonFactory create() {
    JsonFactory f =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING)
                    .maxNumberLength(MAX_NUMBER_DIGITS)
                    .build())
            .build();
    f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return f;
  }

  /** The path of the parser's current position, under {@code prefix} (may be empty). */
  public static String pathOf(JsonParser p, String prefix) {
    return pathOf(p.getParsingContext(), prefix);
  }

  static String pathOf(JsonStreamContext ctx, String prefix) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
      } else if (c.getCurrentName() != null) {
        parts.push("." + c.getCurrentName());
      }
    }
    StringBuilder sb = new StringBuilder(prefix);
    parts.forEach(sb::append);
    String path = sb.toString();
    if (path.startsWith(".")) {
      path = path.substring(1);
    }
    return path.isEmpty() ? "body" : path;
  }
}
