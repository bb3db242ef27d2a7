package io.cascadefarm.dispatcher.api;

import static io.cascadefarm.dispatcher.api.JobFieldLimits.*;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.LoraRef;
import io.cascadefarm.common.job.StageParams;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Reads one job object from a streaming parser into {@link JobParams} with unset fields left null.
 * Checks each field's type and range on the fly; rules that relate several fields are in {@link
 * JobRules}. Unknown fields are errors (a typo must not silently fall back to a default).
 */
public final class JobReader {
  private final ApiLimits limits;

  public JobReader(ApiLimits limits) {
    this.limits = limits;
  }

  /** The parser is on START_OBJECT; on return it is on the matching END_OBJECT. */
  public JobParams read(JsonParser p, String prefix, ErrorScope s) throws IOException {
    JobDraft d = new JobDraft();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      readField(p, name, join(prefix, name), d, s);
    }
    return d.toParams();
  }

  private void readField(JsonParser p, String name, String f, JobDraft d, ErrorScope s)
      throws IOException {
    int maxPrompt = limits.maxPromptChars();
    switch (name) {
      case "kind" -> d.kind = kind(Values.readString(p, f, 64, s), f, s);
      case "prompt" -> d.prompt = Values.readString(p, f, maxPrompt, s);
      case "negative_prompt" -> d.negativePrompt = Values.readString(p, f, maxPrompt, s);
      case "width" -> d.width = dimension(p, f, s);
      case "height" -> d.height = dimension(p, f, s);
      case "seed" -> d.seed = Values.readNonNegativeLong(p, f, s);
      case "images" -> d.images = Values.readInt(p, f, 1, limits.maxImagesPerJob(), s);
      case "model" -> d.model = oneOf(Values.readString(p, f, 64, s), MODELS, f, s);
      case "prior" -> d.prior = stage(p, f, s);
      case "decoder" -> d.decoder = stage(p, f, s);
      case "image" -> d.image = uploadKey(Values.readString(p, f, 256, s), f, s);
      case "mask" -> d.mask = uploadKey(Values.readString(p, f, 256, s), f, s);
      case "strength" -> d.strength = Values.readDouble(p, f, 0, 1, true, s);
      case "control" -> d.control = oneOf(Values.readString(p, f, 64, s), CONTROLS, f, s);
      case "control_strength" ->
          d.controlStrength = Values.readDouble(p, f, 0, MAX_CONTROL_STRENGTH, false, s);
      case "loras" -> d.loras = LoraReader.read(p, f, s);
      case "metadata" -> d.metadata = MetadataReader.read(p, f, s);
      default -> {
        s.add(f, "unknown field (see /openapi.json for the job schema)");
        p.skipChildren();
      }
    }
  }

  private Integer dimension(JsonParser p, String f, ErrorScope s) throws IOException {
    Integer v = Values.readInt(p, f, MIN_DIMENSION, limits.maxDimension(), s);
    if (v != null && v % SIZE_MULTIPLE != 0) {
      s.add(f, "must be a multiple of " + SIZE_MULTIPLE + ", got " + v);
      return null;
    }
    return v;
  }

  private static StageParams stage(JsonParser p, String f, ErrorScope s) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return Values.wrongType(p, f, "must be an object {steps, guidance, shift}", s);
    }
    Integer steps = null;
    Double guidance = null;
    Double shift = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String sf = f + "." + name;
      p.nextToken();
      switch (name) {
        case "steps" -> steps = Values.readInt(p, sf, 1, MAX_STEPS, s);
        case "guidance" -> guidance = Values.readDouble(p, sf, 0, MAX_GUIDANCE, false, s);
        case "shift" -> shift = Values.readDouble(p, sf, 0, MAX_SHIFT, true, s);
        default -> {
          s.add(sf, "unknown field (expected steps, guidance, shift)");
          p.skipChildren();
        }
      }
    }
    return new StageParams(steps, guidance, shift);
  }

  private static JobKind kind(String v, String f, ErrorScope s) {
    if (v == null) {
      return null;
    }
    try {
      return JobKind.fromWire(v);
    } catch (IllegalArgumentException e) {
      s.add(f, e.getMessage() + ", got '" + Values.clip(v) + "'");
      return null;
    }
  }

  private static String oneOf(String v, List<String> allowed, String f, ErrorScope s) {
    if (v != null && !allowed.contains(v)) {
      s.add(f, "must be one of " + String.join(", ", allowed) + ", got '" + Values.clip(v) + "'");
      return null;
    }
    return v;
  }

  private static String uploadKey(String v, String f, ErrorScope s) {
    if (v != null && !UPLOAD_KEY.matcher(v).matches()) {
      s.add(f, "must be an upload key uploads/<64 hex>.png as returned by POST /v1/uploads");
      return null;
    }
    return v;
  }

  static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** Mutable holder while a job object is read. */
  private static final class JobDraft {
    JobKind kind;
    String prompt;
    String negativePrompt;
    Integer width;
    Integer height;
    Long seed;
    Integer images;
    String model;
    StageParams prior;
    StageParams decoder;
    String image;
    Double strength;
    String control;
    String mask;
    Double controlStrength;
    List<LoraRef> loras;
    Map<String, Object> metadata;

    JobParams toParams() {
      return new JobParams(
          kind,
          prompt,
          negativePrompt,
          width,
          height,
          seed,
          images,
          model,
          prior,
          decoder,
          image,
          strength,
          control,
          mask,
          controlStrength,
          loras,
          metadata);
    }
  }
}
