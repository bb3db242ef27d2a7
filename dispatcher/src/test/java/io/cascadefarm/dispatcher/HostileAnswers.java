package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict of a hostile-input test: counts the answers it is shown and keeps each one that is
 * 5xx, or 4xx without the JSON error shape naming at least one field. Also the malformed values
 * such a test puts into every job field ({@link JobBodyFields#ALL}).
 */
public final class HostileAnswers {
  /** Malformed or hostile JSON values for a single job field. */
  public static final String[] BAD_VALUES = {
    "-1",
    "0",
    "1e400",
    "-1e400",
    "99999999999999999999999999",
    "3.5",
    "\"text\"",
    "\"\"",
    "true",
    "[]",
    "{}",
    "[1,[2,[3]]]",
    "{\"steps\":-5}",
    "\"../../etc/passwd\"",
    "\"uploads/../../x.png\"",
    "\"\\u0000\"",
    "{\"k\":\"\\u0000\"}",
    "{\"\\u0000\":1}",
    "-0.0",
    "[{\"name\":\"../x\",\"strength\":1e309}]",
    "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}"
  };

  private final List<String> failures = new ArrayList<>();
  private int sent;

  /** Records one answer ({@code status} and raw body) to the request described by {@code what}. */
  public void check(String what, int status, byte[] body) {
    sent++;
    String text = new String(body, StandardCharsets.UTF_8);
    if (status >= 500) {
      failures.add(what + " -> " + status + " " + text);
    } else if (status >= 400) {
      try {
        JsonNode fields = Json.mapper().readTree(body).path("error").path("fields");
        if (!fields.isArray()
            || fields.isEmpty()
            || fields.path(0).path("field").asText().isBlank()) {
          failures.add(what + " -> " + status + " without a named field: " + text);
        }
      } catch (IOException | RuntimeException e) {
        failures.add(what + " -> " + status + " not JSON: " + text);
      }
    }
  }

  /** Asserts that at least {@code minSent} answers were checked and none was bad. */
  public void assertAllGood(int minSent) {
    assertTrue(sent >= minSent, "only " + sent + " requests sent");
    assertTrue(
        failures.isEmpty(),
        failures.size()
            + " of "
            + sent
            + " bad answers, e.g.:\n"
            + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
  }
}
