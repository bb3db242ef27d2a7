package io.cascadefarm.dispatcher.api;

import static io.cascadefarm.dispatcher.api.JobFieldLimits.LORA_NAME;
import static io.cascadefarm.dispatcher.api.JobFieldLimits.MAX_LORAS;
import static io.cascadefarm.dispatcher.api.JobFieldLimits.MAX_LORA_STRENGTH;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cascadefarm.common.job.LoraRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code loras: [{name, strength}, ...]}. */
final class LoraReader {
  private LoraReader() {}

  static List<LoraRef> read(JsonParser p, String f, ErrorScope s) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      return Values.wrongType(p, f, "must be an array of {name, strength}", s);
    }
    List<LoraRef> out = new ArrayList<>();
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String ef = f + "[" + i + "]";
      if (i == MAX_LORAS) {
        s.add(f, "at most " + MAX_LORAS + " LoRAs per job");
      }
      LoraRef ref = one(p, ef, s);
      if (ref != null && i < MAX_LORAS) {
        out.add(ref);
      }
      i++;
    }
    return out;
  }

  private static LoraRef one(JsonParser p, String f, ErrorScope s) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return Values.wrongType(p, f, "must be an object {name, strength}", s);
    }
    String name = null;
    Double strength = null;
    boolean ok = true;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      String sf = f + "." + field;
      p.nextToken();
      switch (field) {
        case "name" -> {
          name = Values.readString(p, sf, 128, s);
          if (name != null && !LORA_NAME.matcher(name).matches()) {
            s.add(sf, "must be letters, digits, '.', '_' or '-' (at most 128)");
            name = null;
            ok = false;
          }
        }
        case "strength" ->
            strength = Values.readDouble(p, sf, -MAX_LORA_STRENGTH, MAX_LORA_STRENGTH, false, s);
        default -> {
          s.add(sf, "unknown field (expected name, strength)");
          p.skipChildren();
        }
      }
    }
    if (name == null && ok) {
      s.add(f + ".name", "is required");
    }
    return name == null ? null : new LoraRef(name, strength == null ? 1.0 : strength);
  }
}
