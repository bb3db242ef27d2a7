package io.cascadefarm.common.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.LoraRef;
import io.cascadefarm.common.job.StageParams;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The job contract: every field of a job, as the HTTP API takes it and as the store keeps it,
 * declared once below with its type, bounds, default and description, plus the rules that relate
 * several fields. Like a diffusers pipeline's {@code __call__} signature with its one {@code
 * check_inputs}, this is the one place that says what a valid job is:
 *
 * <ul>
 *   <li>the dispatcher reads request bodies with {@link #read} and {@link #checkRules};
 *   <li>{@link io.cascadefarm.common.job.JobDefaults} fills the declared defaults;
 *   <li>the worker checks each stored job again with {@link #check} before rendering;
 *   <li>the OpenAPI schema of a job ({@code JobRequest}) is {@link #schema}.
 * </ul>
 *
 * <p>Bounds are those of the official Stable Cascade code where it has any (shift > 0, strength in
 * (0, 1], sizes whose Stage B latent is even) and otherwise the farm's choice; the Stable Cascade
 * pipeline accepts every job within them (a worker test proves it). Prompt length, images per job
 * and size may be lowered by configuration ({@link JobLimits}).
 */
public final class JobContract {
  public static final int MIN_DIMENSION = 64;
  static final String UPLOAD_KEY = "uploads/[0-9a-f]{64}\\.(png|webp)";
  static final String UPLOAD_RULE =
      "must be an upload key uploads/<64 hex>.png as returned by POST /v1/uploads";

  /** The ControlNet types ({@code inpainting} is accepted as an alias of {@code inpaint}). */
  public static final List<String> CONTROLS =
      List.of("canny", "inpaint", "outpaint", "super_resolution", "identity", "inpainting");

  public static final List<String> MODELS = List.of("tiny", "lite", "big");

  /** Official image-to-image: {@code int(20 * strength)} Stage C steps from t = strength. */
  static int imageToImageSteps(double strength) {
    return Math.max(1, (int) (20 * strength));
  }

  public static final Field KIND =
      Field.string("kind", 64)
          .oneOf(Arrays.stream(JobKind.values()).map(JobKind::wire).toList())
          .defaultValue(JobKind.TEXT_TO_IMAGE)
          .get(JobParams::kind)
          .set((b, v) -> b.kind((JobKind) v));

  public static final Field PROMPT =
      Field.string("prompt", JobLimits.CEILING.maxPromptChars())
          .limit(JobLimits::maxPromptChars)
          .describe("required for text_to_image; limit farm.api.max-prompt-chars")
          .defaultFrom((p, seeds) -> "", "empty")
          .perJob()
          .get(JobParams::prompt)
          .set((b, v) -> b.prompt((String) v));

  public static final Field NEGATIVE_PROMPT =
      Field.string("negative_prompt", JobLimits.CEILING.maxPromptChars())
          .limit(JobLimits::maxPromptChars)
          .describe("limit farm.api.max-prompt-chars")
          .defaultFrom((p, seeds) -> "", "empty")
          .perJob()
          .get(JobParams::negativePrompt)
          .set((b, v) -> b.negativePrompt((String) v));

  public static final Field WIDTH =
      Field.integer("width", MIN_DIMENSION, JobLimits.CEILING.maxDimension())
          .limit(JobLimits::maxDimension)
          .multipleOf(8)
          .describe(
              "pixels; a multiple of 8 so the Stage B latent ceil(W/4) is even;"
                  + " max farm.api.max-dimension")
          .defaultValue(1024)
          .get(JobParams::width)
          .set((b, v) -> b.width((Integer) v));

  public static final Field HEIGHT =
      Field.integer("height", MIN_DIMENSION, JobLimits.CEILING.maxDimension())
          .limit(JobLimits::maxDimension)
          .multipleOf(8)
          .describe("pixels; like width")
          .defaultValue(1024)
          .get(JobParams::height)
          .set((b, v) -> b.height((Integer) v));

  public static final Field SEED =
      Field.integer("seed", 0, Long.MAX_VALUE)
          .describe("image i of the job uses seed + i")
          .defaultFrom(
              (p, seeds) -> seeds.getAsLong() & Long.MAX_VALUE,
              "random; the resolved seed is returned in params")
          .perJob()
          .get(JobParams::seed)
          .set((b, v) -> b.seed((Long) v));

  public static final Field IMAGES =
      Field.integer("images", 1, JobLimits.CEILING.maxImagesPerJob())
          .limit(JobLimits::maxImagesPerJob)
          .describe("limit farm.api.max-images-per-job")
          .defaultValue(1)
          .perJob()
          .get(JobParams::images)
          .set((b, v) -> b.images((Integer) v));

  public static final Field MODEL =
      Field.string("model", 64)
          .oneOf(MODELS)
          .describe("tiny = deterministic random weights for tests")
          .defaultValue("lite")
          .get(JobParams::model)
          .set((b, v) -> b.model((String) v));

  public static final Field PRIOR =
      Field.object(
              "prior",
              Field.integer("steps", 1, 200)
                  .get(StageParams::steps)
                  .defaultFrom(
                      (p, seeds) ->
                          kind(p) == JobKind.IMAGE_TO_IMAGE ? imageToImageSteps(strengthOf(p)) : 20,
                      "20 (image_to_image: int(20 * strength), at least 1)"),
              Field.number("guidance", 0, 50)
                  .get(StageParams::guidance)
                  .defaultFrom(
                      (p, seeds) ->
                          kind(p) == JobKind.CONTROLNET && "super_resolution".equals(p.control())
                              ? 1.0
                              : 4.0,
                      "4 (controlnet super_resolution: 1)"),
              Field.number("shift", 0, 20)
                  .get(StageParams::shift)
                  .exclusiveMinimum()
                  .defaultFrom((p, seeds) -> 2.0, "2"))
          .describe("Stage C (prior) sampler settings; unset ones follow the kind")
          .get(JobParams::prior)
          .set((b, v) -> b.prior((StageParams) v))
          .assemble(JobContract::stage);

  public static final Field DECODER =
      Field.object(
              "decoder",
              Field.integer("steps", 1, 200).get(StageParams::steps).defaultValue(10),
              Field.number("guidance", 0, 50).get(StageParams::guidance).defaultValue(1.1),
              Field.number("shift", 0, 20)
                  .get(StageParams::shift)
                  .exclusiveMinimum()
                  .defaultValue(1.0))
          .describe("Stage B (decoder) sampler settings")
          .get(JobParams::decoder)
          .set((b, v) -> b.decoder((StageParams) v))
          .assemble(JobContract::stage);

  public static final Field IMAGE =
      Field.string("image", 256)
          .pattern(UPLOAD_KEY, UPLOAD_RULE)
          .describe(
              "upload key from POST /v1/uploads; required by every kind except text_to_image;"
                  + " must exist")
          .perJob()
          .get(JobParams::image)
          .set((b, v) -> b.image((String) v));

  public static final Field STRENGTH =
      Field.number("strength", 0, 1)
          .exclusiveMinimum()
          .describe("image_to_image only: the noise level, i.e. the time Stage C starts from")
          .defaultFrom(
              (p, seeds) -> kind(p) == JobKind.IMAGE_TO_IMAGE ? 0.8 : null,
              "0.8 for image_to_image")
          .get(JobParams::strength)
          .set((b, v) -> b.strength((Double) v));

  public static final Field CONTROL =
      Field.string("control", 64)
          .oneOf(CONTROLS)
          .describe(
              "controlnet only (needs model big or tiny); inpainting = alias of inpaint; identity"
                  + " needs the InsightFace ONNX files on the workers")
          .get(JobParams::control)
          .set((b, v) -> b.control((String) v));

  public static final Field MASK =
      Field.string("mask", 256)
          .pattern(UPLOAD_KEY, UPLOAD_RULE)
          .describe(
              "controlnet inpaint (required) and outpaint (optional; default: the new canvas"
                  + " area) only; white = generate")
          .perJob()
          .get(JobParams::mask)
          .set((b, v) -> b.mask((String) v));

  public static final Field CONTROL_STRENGTH =
      Field.number("control_strength", 0, 2)
          .describe("controlnet only")
          .defaultFrom((p, seeds) -> kind(p) == JobKind.CONTROLNET ? 1.0 : null, "1 for controlnet")
          .get(JobParams::controlStrength)
          .set((b, v) -> b.controlStrength((Double) v));

  /** A LoRA's name, as uploaded with POST /v1/loras. */
  public static final Field LORA_NAME =
      Field.string("name", 128)
          .pattern(
              "[A-Za-z0-9][A-Za-z0-9._-]{0,127}",
              "must be letters, digits, '.', '_' or '-' (at most 128)")
          .required();

  public static final Field LORAS =
      Field.array(
              "loras",
              Field.object(
                  "lora",
                  LORA_NAME,
                  Field.number("strength", -4, 4).defaultValue(1.0),
                  Field.string("sha256", 64)
                      .pattern("[0-9a-f]{64}", "must be 64 lower-case hex digits")
                      .readOnly()
                      .describe(
                          "the LoRA file's SHA-256, pinned by the server at submit; workers render"
                              + " only with a file of this content")),
              8,
              "at most 8 LoRAs per job")
          .describe("LoRAs merged into Stage C, uploaded with POST /v1/loras")
          .get(JobParams::loras)
          .set((b, v) -> b.loras(listOf(v)));

  public static final Field METADATA =
      Field.map("metadata", 16 * 1024)
          .describe("free-form JSON echoed back, at most 16 KiB")
          .perJob()
          .get(JobParams::metadata)
          .set((b, v) -> b.metadata(mapOf(v)));

  /** The queue lanes, most urgent first. */
  public static final List<String> PRIORITIES = List.of("high", "normal", "low");

  /** The per-job webhook events. */
  public static final List<String> JOB_EVENTS =
      List.of("job.succeeded", "job.failed", "job.cancelled");

  public static final Field PRIORITY =
      Field.string("priority", 16)
          .oneOf(PRIORITIES)
          .describe(
              "queue lane: a high job starts before every normal one still queued, low jobs after"
                  + " normal ones but aged (see README, Priorities); retries go first in any lane")
          .defaultValue("normal")
          .perJob()
          .get(JobParams::priority)
          .set((b, v) -> b.priority((String) v));

  /** Label keys: letters, digits and {@code . _ - /}, starting with a letter or digit. */
  public static final String LABEL_KEY = "[A-Za-z0-9][A-Za-z0-9._/-]{0,62}";

  public static final Field LABELS =
      Field.map("labels", 16 * 1024)
          .stringValues(16, LABEL_KEY, "must be 1 to 63 letters, digits, '.', '_', '-' or '/'", 256)
          .describe(
              "string labels to find jobs again (GET /v1/jobs?label=key:value): at most 16, keys"
                  + " of 1 to 63 characters, values of at most 256; a batch's labels are added")
          .perJob()
          .get(JobParams::labels)
          .set((b, v) -> b.labels(stringMapOf(v)));

  public static final Field WEBHOOK_URL =
      Field.string("webhook_url", 2048)
          .pattern("https?://[^\\s]+", "must be an absolute http:// or https:// URL")
          .describe(
              "where signed webhooks (Standard Webhooks) of this job's final status are POSTed;"
                  + " private, loopback and link-local hosts are refused unless"
                  + " farm.webhooks.allow-private")
          .perJob()
          .get(JobParams::webhookUrl)
          .set((b, v) -> b.webhookUrl((String) v));

  public static final Field WEBHOOK_EVENTS =
      Field.array("webhook_events", Field.string("event", 32).oneOf(JOB_EVENTS), 3, "at most 3")
          .describe(
              "which events go to webhook_url; empty or unset: job.succeeded, job.failed and"
                  + " job.cancelled")
          .perJob()
          .get(JobParams::webhookEvents)
          .set((b, v) -> b.webhookEvents(stringListOf(v)));

  public static final Field PREVIEW_EVERY =
      Field.integer("preview_every", 0, 200)
          .describe(
              "live previews: every N Stage C steps the worker renders the Previewer's image of"
                  + " the current latents (SSE event preview, GET /v1/jobs/{id}/preview); 0 or"
                  + " unset: off")
          .perJob()
          .get(JobParams::previewEvery)
          .set((b, v) -> b.previewEvery((Integer) v));

  /** Every field of a job, in the order of {@link JobParams}. */
  public static final List<Field> FIELDS =
      List.of(
          KIND,
          PROMPT,
          NEGATIVE_PROMPT,
          WIDTH,
          HEIGHT,
          SEED,
          IMAGES,
          MODEL,
          PRIOR,
          DECODER,
          IMAGE,
          STRENGTH,
          CONTROL,
          MASK,
          CONTROL_STRENGTH,
          LORAS,
          METADATA,
          PRIORITY,
          LABELS,
          WEBHOOK_URL,
          WEBHOOK_EVENTS,
          PREVIEW_EVERY);

  /** A job as one object field (the request body of {@code POST /v1/jobs}). */
  static final Field JOB = Field.object("job", FIELDS.toArray(new Field[0]));

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  static final String UNKNOWN_FIELD = "unknown field (see /openapi.json for the job schema)";

  static final String DESCRIPTION =
      "A job. Unset fields get the defaults of the official Stable Cascade code (1024x1024, model"
          + " lite, Stage C 20 steps cfg 4 shift 2, Stage B 10 steps cfg 1.1 shift 1;"
          + " image_to_image strength 0.8). Unknown fields are rejected.";

  private JobContract() {}

  // ---------------------------------------------------------------- reading and checking

  /**
   * Reads one job object from {@code p} (on START_OBJECT; on return on its END_OBJECT), checking
   * every field against the contract with {@code limits}. Bad fields are reported to {@code out}
   * under {@code prefix} and left unset in the result; cross-field rules are {@link #checkRules}.
   *
   * @throws IOException on malformed JSON (the parser's position says where)
   */
  public static JobParams read(JsonParser p, String prefix, JobLimits limits, Problems out)
      throws IOException {
    JsonNode tree = Json.mapper().readTree(p);
    return toParams(JOB.checkObject(tree, prefix, limits, out, UNKNOWN_FIELD, false, false));
  }

  /**
   * Reads a free-form {@code metadata} object (as a batch envelope carries one) with the bounds of
   * {@link #METADATA}; null if absent or invalid (reported to {@code out}).
   */
  public static Map<String, Object> readMetadata(JsonParser p, String path, Problems out)
      throws IOException {
    JsonNode clean = METADATA.check(Json.mapper().readTree(p), path, JobLimits.CEILING, out, false);
    return clean == null ? null : Json.mapper().convertValue(clean, MAP);
  }

  /**
   * Every violation of the contract by {@code p} (bounds of each set field within {@code limits},
   * then the cross-field rules); empty when valid. The worker runs this on each job before it
   * renders, with {@link JobLimits#CEILING}.
   */
  public static List<Violation> check(JobParams p, JobLimits limits) {
    List<Violation> out = new ArrayList<>();
    Problems sink = (f, m) -> out.add(new Violation(f, m));
    JOB.checkObject(Json.mapper().valueToTree(p), "", limits, sink, UNKNOWN_FIELD, false, true);
    checkRules(p, "", sink);
    return out;
  }

  /**
   * Rules that relate several fields (checked after batch defaults are merged in): image kinds need
   * an {@code image}, text-to-image needs a prompt, kind-specific fields are refused on other
   * kinds, ControlNet needs a {@code control} type and the big (3.6B) Stage C or {@code tiny}.
   */
  public static void checkRules(JobParams p, String prefix, Problems s) {
    JobKind kind = kind(p);
    String k = kind.wire();
    if (kind == JobKind.TEXT_TO_IMAGE && (p.prompt() == null || p.prompt().isBlank())) {
      s.add(Field.join(prefix, "prompt"), "is required for kind text_to_image");
    }
    if (kind.needsImage() && p.image() == null) {
      s.add(
          Field.join(prefix, "image"),
          "is required for kind " + k + " (upload it with POST /v1/uploads)");
    }
    if (!kind.needsImage() && p.image() != null) {
      s.add(Field.join(prefix, "image"), "is not used by kind text_to_image");
    }
    if (kind != JobKind.IMAGE_TO_IMAGE && p.strength() != null) {
      s.add(Field.join(prefix, "strength"), "is only used by kind image_to_image");
    }
    checkControlnet(p, kind, prefix, s);
  }

  private static void checkControlnet(JobParams p, JobKind kind, String prefix, Problems s) {
    if (kind != JobKind.CONTROLNET) {
      for (Field f : List.of(CONTROL, MASK, CONTROL_STRENGTH)) {
        if (f.valueIn(p) != null) {
          s.add(Field.join(prefix, f.name()), "is only used by kind controlnet");
        }
      }
      return;
    }
    if (p.control() == null) {
      s.add(
          Field.join(prefix, "control"),
          "is required for kind controlnet (canny, inpaint, outpaint, super_resolution, identity)");
    }
    boolean inpaint = "inpaint".equals(p.control()) || "inpainting".equals(p.control());
    boolean paint = inpaint || "outpaint".equals(p.control());
    if (p.mask() != null && p.control() != null && !paint) {
      s.add(Field.join(prefix, "mask"), "is only used by control inpaint and outpaint");
    }
    if (p.mask() == null && inpaint) {
      s.add(
          Field.join(prefix, "mask"),
          "is required for control inpaint (upload a PNG, white = generate, with POST"
              + " /v1/uploads)");
    }
    if (p.model() == null || "lite".equals(p.model())) {
      s.add(
          Field.join(prefix, "model"),
          "ControlNets exist only for the big (3.6B) Stage C: set model to big (or tiny for tests)");
    }
  }

  // ---------------------------------------------------------------- defaults, merging, batching

  /**
   * {@code p} with every unset field that has a declared default filled (the seed from {@code
   * seeds}), so that stored params reproduce the render.
   */
  public static JobParams resolve(JobParams p, LongSupplier seeds) {
    JobParams.Builder b = p.toBuilder();
    for (Field f : FIELDS) {
      Object given = f.valueIn(p);
      if (f.type() == Field.Type.OBJECT) {
        List<Object> values = new ArrayList<>();
        for (Field c : f.properties()) {
          Object v = given == null ? null : c.valueIn(given);
          values.add(v != null ? v : c.defaultFor(p, seeds));
        }
        f.setIn(b, f.assembleFrom(values));
      } else if (given == null) {
        Object d = f.defaultFor(p, seeds);
        if (d != null) {
          f.setIn(b, d);
        }
      }
    }
    return b.build();
  }

  /**
   * Applies a batch's {@code defaults} to one job: every field the job leaves unset comes from the
   * defaults (object fields such as stage settings property by property, metadata merged key by key
   * with the job winning, LoRAs only when the job names none).
   */
  public static JobParams merge(JobParams job, JobParams defaults) {
    if (defaults == null) {
      return job;
    }
    JobParams.Builder b = job.toBuilder();
    for (Field f : FIELDS) {
      Object jv = f.valueIn(job);
      Object dv = f.valueIn(defaults);
      switch (f.type()) {
        case OBJECT -> {
          List<Object> values = new ArrayList<>();
          for (Field c : f.properties()) {
            Object v = c.valueIn(jv);
            values.add(v != null ? v : c.valueIn(dv));
          }
          f.setIn(b, f.assembleFrom(values));
        }
        case ARRAY -> {
          if (((List<?>) jv).isEmpty()) {
            f.setIn(b, dv);
          }
        }
        case MAP -> {
          if (!((Map<?, ?>) dv).isEmpty()) {
            Map<String, Object> m = new HashMap<>(mapOf(dv));
            m.putAll(mapOf(jv));
            f.setIn(b, m);
          }
        }
        default -> {
          if (jv == null) {
            f.setIn(b, dv);
          }
        }
      }
    }
    return b.build();
  }

  /**
   * Jobs with equal keys can share one batched render: equal in every {@link Field.Batch#SHARED}
   * field (kind, size, model, stage settings, strength, ControlNet and LoRA set); they may differ
   * in the {@link Field.Batch#PER_JOB} ones (prompts, seed, images, input image, mask, metadata).
   */
  public static String batchKey(JobParams p) {
    List<String> parts = new ArrayList<>();
    for (Field f : FIELDS) {
      if (f.batch() != Field.Batch.SHARED || f == HEIGHT) {
        continue;
      }
      parts.add(
          f == WIDTH ? p.width() + "x" + p.height() : String.valueOf(f.valueIn(p))); // size: WxH
    }
    return String.join("|", parts);
  }

  // ---------------------------------------------------------------- OpenAPI

  /**
   * The OpenAPI 3.0 Schema Object of a job ({@code components.schemas.JobRequest}) with the
   * configured {@code limits}.
   */
  public static ObjectNode schema(JobLimits limits) {
    ObjectNode s = JOB.schema(limits);
    ObjectNode out = s.objectNode();
    out.put("type", "object");
    out.put("additionalProperties", false);
    out.put("description", DESCRIPTION);
    out.set("properties", s.get("properties"));
    return out;
  }

  // ---------------------------------------------------------------- helpers

  private static JobParams toParams(JsonNode clean) {
    try {
      return Json.mapper().treeToValue(clean, JobParams.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a checked job does not bind to JobParams: " + clean, e);
    }
  }

  private static StageParams stage(List<Object> v) {
    return new StageParams((Integer) v.get(0), (Double) v.get(1), (Double) v.get(2));
  }

  @SuppressWarnings("unchecked")
  private static List<LoraRef> listOf(Object v) {
    return (List<LoraRef>) v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> stringMapOf(Object v) {
    return (Map<String, String>) v;
  }

  @SuppressWarnings("unchecked")
  private static List<String> stringListOf(Object v) {
    return (List<String>) v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapOf(Object v) {
    return (Map<String, Object>) v;
  }

  private static JobKind kind(JobParams p) {
    return p.kind() == null ? JobKind.TEXT_TO_IMAGE : p.kind();
  }

  private static double strengthOf(JobParams p) {
    return p.strength() == null ? 0.8 : p.strength();
  }
}
