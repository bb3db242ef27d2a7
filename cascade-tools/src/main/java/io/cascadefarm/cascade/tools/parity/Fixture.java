package io.cascadefarm.cascade.tools.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed fixture description ({@code <name>.json}) plus the directory it lives in. Call fixtures
 * have {@code model_class}, {@code config} and {@code calls}; sampler fixtures have a {@code
 * models} role map instead.
 */
public final class Fixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final JsonNode json;
  private final String name;
  private final List<FixtureCall> calls;

  private Fixture(Path dir, JsonNode json) {
    this.dir = dir;
    this.json = json;
    this.name = json.path("fixture").asText(null);
    if (name == null) {
      throw new FixtureFormatException(dir + ": fixture JSON has no 'fixture' name");
    }
    List<FixtureCall> parsed = new ArrayList<>();
    json.path("calls").forEach(c -> parsed.add(FixtureCall.parse(c, name)));
    this.calls = Collections.unmodifiableList(parsed);
  }

  /** Reads {@code <dir>/<name>.json} given the JSON path. */
  public static Fixture load(Path jsonFile) throws IOException {
    if (!Files.isRegularFile(jsonFile)) {
      throw new FixtureFormatException("fixture file not found: " + jsonFile);
    }
    Path abs = jsonFile.toAbsolutePath();
    return new Fixture(abs.getParent(), JSON.readTree(abs.toFile()));
  }

  /** Loads the fixture called {@code name} from a directory. */
  public static Fixture load(Path dir, String name) throws IOException {
    return load(dir.resolve(name + ".json"));
  }

  public String name() {
    return name;
  }

  public Path dir() {
    return dir;
  }

  /** The whole JSON document. */
  public JsonNode json() {
    return json;
  }

  /** {@code model_class}, or null for sampler fixtures. */
  public String modelClass() {
    JsonNode n = json.get("model_class");
    return n == null || n.isNull() ? null : n.asText();
  }

  /**
   * The network name: the first dotted name of {@code model_class} (e.g. {@code
   * modules.stage_c.StageC} from {@code "modules.stage_c.StageC + modules.lora.apply_lora"}), or
   * null.
   */
  public String network() {
    String mc = modelClass();
    return mc == null ? null : mc.trim().split("[\\s(+]+")[0];
  }

  /** Constructor kwargs ({@code config}); a missing node when absent. */
  public JsonNode config() {
    return json.path("config");
  }

  public List<FixtureCall> calls() {
    return calls;
  }

  /** {@code models} role map of a sampler fixture (role to the text naming weights/config). */
  public Map<String, String> models() {
    Map<String, String> out = new LinkedHashMap<>();
    json.path("models").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  public boolean isSampler() {
    return json.has("models");
  }

  /**
   * A file named in {@code files} (weights, io, trace) or {@code files_extra}, resolved; or null.
   */
  public Path file(String role) {
    JsonNode n = json.path("files").get(role);
    if (n == null || n.isNull()) {
      n = json.path("files_extra").get(role);
    }
    return n == null || n.isNull() ? null : dir.resolve(n.asText());
  }

  /** {@code io_tensors} table: key to {dtype, shape}. */
  public JsonNode ioTensors() {
    return json.path("io_tensors");
  }

  @Override
  public String toString() {
    return "Fixture[" + name + " @ " + dir + "]";
  }
}
