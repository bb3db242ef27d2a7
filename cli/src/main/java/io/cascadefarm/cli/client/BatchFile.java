package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads a batch file for {@code farm submit --batch}: {@code .json} holding {@code {"defaults":
 * {...}, "jobs": [...]}} or a bare array of jobs, or {@code .ndjson}/{@code .jsonl} with one job
 * per line. Flag defaults are merged over the file's defaults.
 */
final class BatchFile {
  private BatchFile() {}

  /** The batch request body {@code {"defaults", "jobs"}}. */
  static ObjectNode read(Path file, ObjectNode flagDefaults) {
    ObjectNode body = isNdjson(file) ? fromNdjson(file) : fromJson(file);
    ObjectNode defaults =
        body.has("defaults") && body.get("defaults").isObject()
            ? (ObjectNode) body.get("defaults")
            : body.putObject("defaults");
    for (Iterator<Map.Entry<String, JsonNode>> it = flagDefaults.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      defaults.set(e.getKey(), e.getValue());
    }
    if (!body.has("jobs") || !body.get("jobs").isArray()) {
      throw new IllegalArgumentException(file + ": field \"jobs\" must be an array of jobs");
    }
    return body;
  }

  static boolean isNdjson(Path file) {
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".ndjson") || n.endsWith(".jsonl");
  }

  private static ObjectNode fromJson(Path file) {
    JsonNode root = parse(file, text(file));
    if (root.isArray()) {
      ObjectNode body = Json.mapper().createObjectNode();
      body.set("jobs", root);
      return body;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(file + ": expected an object or an array of jobs");
    }
    return (ObjectNode) root;
  }

  private static ObjectNode fromNdjson(Path file) {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode jobs = body.putArray("jobs");
    int line = 0;
    for (String s : text(file).split("\n")) {
      line++;
      if (!s.isBlank()) {
        jobs.add(parse(file, s, line));
      }
    }
    return body;
  }

  private static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read batch file " + file, e);
    }
  }

  private static JsonNode parse(Path file, String s) {
    return parse(file, s, 0);
  }

  private static JsonNode parse(Path file, String s, int line) {
    try {
      return Json.mapper().readTree(s);
    } catch (IOException e) {
      String where = line > 0 ? file + " line " + line : file.toString();
      throw new IllegalArgumentException(where + ": invalid JSON: " + e.getMessage(), e);
    }
  }
}
