package io.cascadefarm.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One row of {@code jobs}, as the audit reads it; {@code result}/{@code error} may be null. */
record JobRow(
    UUID id, String status, int attempts, int maxAttempts, JsonNode result, JsonNode error) {

  /** The object keys the job's result references (empty without a result). */
  List<String> resultKeys() {
    List<String> keys = new ArrayList<>();
    if (result != null) {
      result.path("images").forEach(i -> keys.add(i.path("key").asText()));
    }
    return keys;
  }
}
