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
import io.cascadefarm.common.job.TrainDataset;
import io.cascadefarm.common.job.TrainImage;
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
  static final String TENSOR_KEY = "uploads/[0-9a-f]{64}\\.safetensors";
  static final String TENSOR_RULE =
      "must be an upload key uploads/<64 hex>.safetensors as returned by POST /v1/uploads for a"
          + " safetensors body";

  /** The samplers ({@code gdf} DDPMSampler, DDIMSampler). */
  public static final List<String> SAMPLERS = List.of("ddpm", "ddim");

  /** The noise generators. */
  public static final List<String> NOISES = List.of("java", "torch");

  /** Most times in a custom time grid (200 steps). */
  public static final int MAX_TIMESTEPS = 201;

  /** Most extra variation images per job. */
  public static final int MAX_EXTRA_IMAGES = 15;

  /** The ControlNet types ({@code inpainting} is accepted as an alias of {@code inpaint}). */
  public static final List<String> CONTROLS =
      List.of("canny", "inpaint", "outpaint", "super_resolution", "identity", "inpainting");

  public static final List<String> MODELS = List.of("tiny", "lite", "big");

  /**
   * A fine-tuned model: {@code <tenant>/<name>} (a {@code finetune_c}/{@code finetune_b} job's
   * {@code model_name}, usable by that tenant only).
   */
  public static final String CUSTOM_MODEL =
      "[A-Za-z0-9][A-Za-z0-9._-]{0,63}/[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

  private static final java.util.regex.Pattern CUSTOM_MODEL_PATTERN =
      java.util.regex.Pattern.compile(CUSTOM_MODEL);

  /** Whether {@code model} names a fine-tuned model ({@code <tenant>/<name>}). */
  public static boolean isCustomModel(String model) {
    return model != null && CUSTOM_MODEL_PATTERN.matcher(model).matches();
  }

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
      Field.string("model", 200)
          .oneOf(MODELS)
          .orMatching(CUSTOM_MODEL, "<tenant>/<name> of your fine-tuned model (GET /v1/models)")
          .describe(
              "tiny = deterministic random weights for tests; <tenant>/<name> = a model a"
                  + " finetune_c/finetune_b job of that tenant made (only that tenant may use it;"
                  + " training kinds take tiny, lite or big)")
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
                          !p.priorTimesteps().isEmpty()
                              ? p.priorTimesteps().size() - 1
                              : kind(p) == JobKind.IMAGE_TO_IMAGE
                                  ? imageToImageSteps(strengthOf(p))
                                  : 20,
                      "20 (image_to_image: int(20 * strength), at least 1; with prior_timesteps:"
                          + " their number minus one)"),
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
              Field.integer("steps", 1, 200)
                  .get(StageParams::steps)
                  .defaultFrom(
                      (p, seeds) ->
                          p.decoderTimesteps().isEmpty() ? 10 : p.decoderTimesteps().size() - 1,
                      "10 (with decoder_timesteps: their number minus one)"),
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
              "controlnet inpaint and outpaint only; white = generate. Optional: without it"
                  + " inpaint uses the official automatic mask (saliency model, installed by farm"
                  + " models pull --controlnets) and outpaint the new canvas area")
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
              "live previews every N Stage C steps; 0 or unset: off. The worker renders the"
                  + " Previewer's image of the current Stage C estimate (8x the Stage C latent,"
                  + " e.g. 192x192 for 1024x1024; several images side by side), paced like progress"
                  + " events, publishes a preview event on /v1/events and keeps the latest at"
                  + " GET /v1/jobs/{id}/preview. Models without previewer.safetensors (diffusers"
                  + " layout) render no previews")
          .perJob()
          .get(JobParams::previewEvery)
          .set((b, v) -> b.previewEvery((Integer) v));
  public static final Field SAMPLER =
      Field.string("sampler", 16)
          .oneOf(SAMPLERS)
          .describe(
              "both stages' sampler: ddpm (official DDPMSampler) or ddim (official DDIMSampler,"
                  + " eta 0, deterministic)")
          .defaultValue("ddpm")
          .get(JobParams::sampler)
          .set((b, v) -> b.sampler((String) v));

  public static final Field NOISE =
      Field.string("noise", 16)
          .oneOf(NOISES)
          .describe(
              "java (per-row Java generator) or torch (torch.manual_seed(seed + i) and the official"
                  + " pipeline's CPU draws, bit for bit)")
          .defaultValue("java")
          .get(JobParams::noise)
          .set((b, v) -> b.noise((String) v));

  public static final Field CFG_RESCALE =
      Field.number("cfg_rescale", 0, 1)
          .describe(
              "the official cfg_rho of both stages: std-rescale of the guided prediction; 0 = off")
          .defaultValue(0.7)
          .get(JobParams::cfgRescale)
          .set((b, v) -> b.cfgRescale((Double) v));

  public static final Field PRIOR_TIMESTEPS =
      Field.array(
              "prior_timesteps",
              Field.number("t", 0, 1),
              MAX_TIMESTEPS,
              "at most " + MAX_TIMESTEPS + " times")
          .describe(
              "custom Stage C time grid (diffusers timesteps): strictly decreasing times in [0, 1],"
                  + " first above 0, end point included; replaces linspace(1, 0, steps + 1)")
          .get(JobParams::priorTimesteps)
          .set((b, v) -> b.priorTimesteps(doubles(v)));

  public static final Field DECODER_TIMESTEPS =
      Field.array(
              "decoder_timesteps",
              Field.number("t", 0, 1),
              MAX_TIMESTEPS,
              "at most " + MAX_TIMESTEPS + " times")
          .describe("custom Stage B time grid, like prior_timesteps")
          .get(JobParams::decoderTimesteps)
          .set((b, v) -> b.decoderTimesteps(doubles(v)));

  public static final Field DECODER_NEGATIVE_PROMPT =
      Field.string("decoder_negative_prompt", JobLimits.CEILING.maxPromptChars())
          .limit(JobLimits::maxPromptChars)
          .describe("Stage B's unconditional prompt (official: empty)")
          .defaultFrom((p, seeds) -> "", "empty")
          .perJob()
          .get(JobParams::decoderNegativePrompt)
          .set((b, v) -> b.decoderNegativePrompt((String) v));

  public static final Field EXTRA_IMAGES =
      Field.array(
              "extra_images",
              Field.string("image", 256).pattern(UPLOAD_KEY, UPLOAD_RULE),
              MAX_EXTRA_IMAGES,
              "at most " + MAX_EXTRA_IMAGES + " extra images")
          .describe(
              "image_variation and prior: more input images after image (diffusers images); their"
                  + " CLIP embeddings are concatenated; each must exist")
          .perJob()
          .get(JobParams::extraImages)
          .set((b, v) -> b.extraImages(strings(v)));

  public static final Field LATENTS =
      Field.string("latents", 256)
          .pattern(TENSOR_KEY, TENSOR_RULE)
          .describe(
              "initial latents instead of noise: a safetensors upload with tensor latents [images,"
                  + " 16, ceil(h/42.67), ceil(w/42.67)] (Stage C), for decode and reconstruct"
                  + " [images, 4, h/4, w/4] (Stage B); not for image_to_image and controlnet")
          .perJob()
          .get(JobParams::latents)
          .set((b, v) -> b.latents((String) v));

  public static final Field EMBEDDINGS =
      Field.string("embeddings", 256)
          .pattern(TENSOR_KEY, TENSOR_RULE)
          .describe(
              "precomputed conditioning, a safetensors upload with diffusers' names:"
                  + " prompt_embeds, prompt_embeds_pooled, negative_prompt_embeds,"
                  + " negative_prompt_embeds_pooled, image_embeds; for decode image_embeddings"
                  + " (the Stage C latents a prior job returns; required)")
          .perJob()
          .get(JobParams::embeddings)
          .set((b, v) -> b.embeddings((String) v));

  public static final Field PROMPT_WEIGHTS =
      Field.string("prompt_weights", 16)
          .oneOf(List.of("off", "a1111"))
          .describe(
              "a1111: (text:weight) in prompt and negative_prompt weights those tokens' CLIP"
                  + " embeddings, mean kept (weights in (0, 10]); off: the text goes to CLIP as"
                  + " written")
          .defaultValue("off")
          .get(JobParams::promptWeights)
          .set((b, v) -> b.promptWeights((String) v));

  // ---------------------------------------------------------------- train_lora

  /** Most images in a {@code train_lora} dataset (listed or in an archive). */
  public static final int MAX_DATASET_IMAGES = 1000;

  static final String ARCHIVE_KEY = "uploads/[0-9a-f]{64}\\.(zip|tar)";

  public static final Field TRAIN_LORA_NAME =
      Field.string("lora_name", 128)
          .pattern(
              "[A-Za-z0-9][A-Za-z0-9._-]{0,127}",
              "must be letters, digits, '.', '_' or '-' (at most 128)")
          .describe(
              "train_lora only (required): the name the trained LoRA is registered under, as with"
                  + " POST /v1/loras")
          .perJob()
          .get(JobParams::loraName)
          .set((b, v) -> b.loraName((String) v));

  public static final Field DATASET =
      Field.object(
              "dataset",
              Field.array(
                      "images",
                      Field.object(
                          "image",
                          Field.string("image", 256).pattern(UPLOAD_KEY, UPLOAD_RULE).required(),
                          Field.string("caption", JobLimits.CEILING.maxPromptChars())
                              .limit(JobLimits::maxPromptChars)
                              .defaultValue("")),
                      MAX_DATASET_IMAGES,
                      "at most " + MAX_DATASET_IMAGES + " images")
                  .get(d -> d == null ? null : ((TrainDataset) d).images()),
              Field.string("archive", 256)
                  .pattern(
                      ARCHIVE_KEY,
                      "must be a dataset key uploads/<64 hex>.zip or .tar as returned by POST"
                          + " /v1/datasets")
                  .get(d -> d == null ? null : ((TrainDataset) d).archive()))
          .describe(
              "training kinds only (required): {\"images\": [{\"image\": upload key, \"caption\":"
                  + " text}, ...]} or {\"archive\": key of an uploaded zip/tar of NNN.png +"
                  + " NNN.txt}; at most "
                  + MAX_DATASET_IMAGES
                  + " images, captions up to farm.api.max-prompt-chars")
          .perJob()
          .get(JobParams::dataset)
          .set((b, v) -> b.dataset((TrainDataset) v))
          .assemble(
              v ->
                  v.get(0) == null && v.get(1) == null
                      ? null
                      : new TrainDataset(trainImages(v.get(0)), (String) v.get(1)));

  public static final Field STEPS =
      Field.integer("steps", 1, 1_000_000)
          .describe("training kinds: optimizer updates (official updates)")
          .defaultFrom(
              (p, seeds) -> training(p) ? config(p).updates() : null,
              TrainingConfig.describe(TrainingConfig::updates))
          .perJob()
          .get(JobParams::steps)
          .set((b, v) -> b.steps((Integer) v));

  public static final Field RANK =
      Field.integer("rank", 1, 128)
          .describe("train_lora: LoRA rank")
          .defaultFrom((p, seeds) -> lora(p) ? 4 : null, "4 for train_lora")
          .perJob()
          .get(JobParams::rank)
          .set((b, v) -> b.rank((Integer) v));

  public static final Field MODULE_FILTERS =
      Field.array("module_filters", Field.string("filter", 64), 16, "at most 16 filters")
          .describe(
              "train_lora: Stage C modules whose weight gets a LoRA (name contains a filter);"
                  + " they must select matrices (Linear / attention projections)")
          .defaultFrom((p, seeds) -> lora(p) ? List.of(".attn") : null, "[\".attn\"]")
          .perJob()
          .get(JobParams::moduleFilters)
          .set((b, v) -> b.moduleFilters(stringsOf(v)));

  public static final Field TRAIN_TOKENS =
      Field.array(
              "train_tokens",
              Field.array("entry", Field.string("pattern", 256), 2, "an entry is [token, regex]")
                  .nullableItems(),
              16,
              "at most 16 entries")
          .describe(
              "train_lora: [token, regex] pairs as in train_c_lora.py: a token written [..] or"
                  + " <..> is added with its row initialised to the mean of the vocabulary entries"
                  + " the regex finds (null: zeros); any other token is a regex selecting existing"
                  + " entries to train. RE2 syntax (linear time), at most 256 characters each")
          .defaultFrom((p, seeds) -> lora(p) ? List.of() : null, "[] (no token rows)")
          .perJob()
          .get(JobParams::trainTokens)
          .set((b, v) -> b.trainTokens(pairsOf(v)));

  public static final Field LR =
      Field.number("lr", 0, 1)
          .exclusiveMinimum()
          .describe("training kinds: AdamW learning rate")
          .defaultFrom(
              (p, seeds) -> training(p) ? config(p).lr() : null,
              TrainingConfig.describe(TrainingConfig::lr))
          .perJob()
          .get(JobParams::lr)
          .set((b, v) -> b.lr((Double) v));

  public static final Field BATCH_SIZE =
      Field.integer("batch_size", 1, 4096)
          .describe(
              "training kinds: images per optimizer update (official batch_size); each iteration"
                  + " takes batch_size / grad_accum_steps")
          .defaultFrom(
              (p, seeds) -> training(p) ? config(p).batchSize() : null,
              TrainingConfig.describe(TrainingConfig::batchSize))
          .perJob()
          .get(JobParams::batchSize)
          .set((b, v) -> b.batchSize((Integer) v));

  public static final Field GRAD_ACCUM_STEPS =
      Field.integer("grad_accum_steps", 1, 1024)
          .describe("training kinds: iterations whose gradients add up to one update")
          .defaultFrom(
              (p, seeds) -> training(p) ? config(p).gradAccumSteps() : null,
              TrainingConfig.describe(TrainingConfig::gradAccumSteps))
          .perJob()
          .get(JobParams::gradAccumSteps)
          .set((b, v) -> b.gradAccumSteps((Integer) v));

  public static final Field WARMUP_UPDATES =
      Field.integer("warmup_updates", 0, 1_000_000)
          .describe(
              "training kinds: linear warm-up (GradualWarmupScheduler): update k runs at lr *"
                  + " min(1, (k-1)/warmup_updates); 0 = none")
          .defaultFrom(
              (p, seeds) -> training(p) ? config(p).warmupUpdates() : null,
              TrainingConfig.describe(TrainingConfig::warmupUpdates))
          .perJob()
          .get(JobParams::warmupUpdates)
          .set((b, v) -> b.warmupUpdates((Integer) v));

  public static final Field SAVE_EVERY =
      Field.integer("save_every", 1, 1_000_000)
          .describe(
              "training kinds: a checkpoint (trained weights, EMA copy + optimizer state) is"
                  + " written every save_every updates; a retried job resumes from the last one")
          .defaultFrom(
              (p, seeds) -> training(p) ? config(p).saveEvery() : null,
              TrainingConfig.describe(TrainingConfig::saveEvery))
          .perJob()
          .get(JobParams::saveEvery)
          .set((b, v) -> b.saveEvery((Integer) v));

  public static final Field IMAGE_SIZE =
      Field.integer("image_size", 64, 2048)
          .multipleOf(32)
          .describe(
              "training kinds: pixel density of the multi-aspect buckets (image_size^2 pixels,"
                  + " official ratios)")
          .defaultFrom(
              (p, seeds) -> training(p) ? config(p).imageSize() : null,
              TrainingConfig.describe(TrainingConfig::imageSize))
          .perJob()
          .get(JobParams::imageSize)
          .set((b, v) -> b.imageSize((Integer) v));

  // ---------------------------------------------------------------- finetune_c, finetune_b

  public static final Field MODEL_NAME =
      Field.string("model_name", 128)
          .pattern(
              "[A-Za-z0-9][A-Za-z0-9._-]{0,127}",
              "must be letters, digits, '.', '_' or '-' (at most 128)")
          .describe(
              "finetune_c and finetune_b only (required): the fine-tuned checkpoint is registered"
                  + " as model <tenant>/<model_name> for the submitting tenant; a name is used once"
                  + " per tenant")
          .perJob()
          .get(JobParams::modelName)
          .set((b, v) -> b.modelName((String) v));

  public static final Field EMA_ITERS =
      Field.integer("ema_iters", 1, 1_000_000)
          .describe(
              "finetune kinds: keep an EMA copy of the weights, updated every ema_iters"
                  + " iterations (official ema_iters); unset: no EMA (the official configs leave it"
                  + " off). With EMA the registered model is the EMA copy")
          .perJob()
          .get(JobParams::emaIters)
          .set((b, v) -> b.emaIters((Integer) v));

  public static final Field EMA_BETA =
      Field.number("ema_beta", 0, 1)
          .describe("finetune kinds with ema_iters: ema = ema * beta + w * (1 - beta)")
          .defaultFrom(
              (p, seeds) -> finetune(p) && p.emaIters() != null ? 0.9 : null,
              "0.9 with ema_iters (the official configs' commented value)")
          .perJob()
          .get(JobParams::emaBeta)
          .set((b, v) -> b.emaBeta((Double) v));

  public static final Field EMA_START_ITERS =
      Field.integer("ema_start_iters", 0, 1_000_000_000)
          .describe(
              "finetune kinds with ema_iters: until this iteration the EMA copy follows the"
                  + " weights (beta 0)")
          .defaultFrom(
              (p, seeds) -> finetune(p) && p.emaIters() != null ? 5000 : null,
              "5000 with ema_iters (the official configs' commented value)")
          .perJob()
          .get(JobParams::emaStartIters)
          .set((b, v) -> b.emaStartIters((Integer) v));

  /** The fields only {@code train_lora} uses. */
  static final List<Field> LORA_FIELDS =
      List.of(TRAIN_LORA_NAME, RANK, MODULE_FILTERS, TRAIN_TOKENS);

  /** The fields only {@code finetune_c} and {@code finetune_b} use. */
  static final List<Field> FINETUNE_FIELDS =
      List.of(MODEL_NAME, EMA_ITERS, EMA_BETA, EMA_START_ITERS);

  /** The fields only the training kinds use, in the order of {@link JobParams}. */
  static final List<Field> TRAINING_FIELDS =
      List.of(
          TRAIN_LORA_NAME,
          DATASET,
          STEPS,
          RANK,
          MODULE_FILTERS,
          TRAIN_TOKENS,
          LR,
          BATCH_SIZE,
          GRAD_ACCUM_STEPS,
          WARMUP_UPDATES,
          SAVE_EVERY,
          IMAGE_SIZE,
          MODEL_NAME,
          EMA_ITERS,
          EMA_BETA,
          EMA_START_ITERS);

  /** Every field of a job, in the order of {@link JobParams}. */
  public static final List<Field> FIELDS =
      java.util.stream.Stream.of(
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
                  SAMPLER,
                  NOISE,
                  CFG_RESCALE,
                  PRIOR_TIMESTEPS,
                  DECODER_TIMESTEPS,
                  DECODER_NEGATIVE_PROMPT,
                  EXTRA_IMAGES,
                  LATENTS,
                  EMBEDDINGS,
                  PROMPT_WEIGHTS),
              TRAINING_FIELDS,
              List.of(PRIORITY, LABELS, WEBHOOK_URL, WEBHOOK_EVENTS, PREVIEW_EVERY))
          .flatMap(List::stream)
          .toList();

  /** A job as one object field (the request body of {@code POST /v1/jobs}). */
  static final Field JOB = Field.object("job", FIELDS.toArray(new Field[0]));

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  static final String UNKNOWN_FIELD = "unknown field (see /openapi.json for the job schema)";

  static final String DESCRIPTION =
      "A job. Unset fields get the defaults of the official Stable Cascade code (1024x1024, model"
          + " lite, Stage C 20 steps cfg 4 shift 2, Stage B 10 steps cfg 1.1 shift 1;"
          + " image_to_image strength 0.8; sampler ddpm, cfg_rescale 0.7, noise java)."
          + " Unknown fields are rejected.";

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
    if (kind == JobKind.TEXT_TO_IMAGE
        && (p.prompt() == null || p.prompt().isBlank())
        && p.embeddings() == null) {
      s.add(
          Field.join(prefix, "prompt"),
          "is required for kind text_to_image (or precomputed embeddings)");
    }
    if (kind.needsImage() && p.image() == null) {
      s.add(
          Field.join(prefix, "image"),
          "is required for kind " + k + " (upload it with POST /v1/uploads)");
    }
    if (!kind.takesImage() && p.image() != null) {
      s.add(Field.join(prefix, "image"), "is not used by kind " + k);
    }
    checkControls(p, kind, prefix, s);
    if (kind != JobKind.IMAGE_TO_IMAGE && p.strength() != null) {
      s.add(Field.join(prefix, "strength"), "is only used by kind image_to_image");
    }
    checkControlnet(p, kind, prefix, s);
    checkTraining(p, kind, prefix, s);
  }

  private static void checkTraining(JobParams p, JobKind kind, String prefix, Problems s) {
    for (Field f : TRAINING_FIELDS) {
      if (f.valueIn(p) == null) {
        continue;
      }
      if (LORA_FIELDS.contains(f) && kind != JobKind.TRAIN_LORA) {
        s.add(Field.join(prefix, f.name()), "is only used by kind train_lora");
      } else if (FINETUNE_FIELDS.contains(f) && !kind.isFinetune()) {
        s.add(Field.join(prefix, f.name()), "is only used by kinds finetune_c and finetune_b");
      } else if (!kind.isTraining()) {
        s.add(
            Field.join(prefix, f.name()),
            "is only used by the training kinds (train_lora, finetune_c, finetune_b)");
      }
    }
    if (!kind.isTraining()) {
      return;
    }
    String k = kind.wire();
    if (isCustomModel(p.model())) {
      s.add(
          Field.join(prefix, "model"),
          "kind " + k + " trains from tiny, lite or big, not from a fine-tuned model");
    }
    if (kind == JobKind.TRAIN_LORA && p.loraName() == null) {
      s.add(Field.join(prefix, "lora_name"), "is required for kind train_lora");
    }
    if (kind.isFinetune()) {
      checkFinetune(p, k, prefix, s);
    }
    if (!p.loras().isEmpty()) {
      s.add(Field.join(prefix, "loras"), "is not used by kind " + k);
    }
    TrainDataset d = p.dataset();
    if (d == null) {
      s.add(
          Field.join(prefix, "dataset"),
          "is required for kind " + k + ": {\"images\": [...]} or {\"archive\": key}");
    } else if ((d.images() == null || d.images().isEmpty()) == (d.archive() == null)) {
      s.add(
          Field.join(prefix, "dataset"), "needs exactly one of images (at least one) and archive");
    }
    if (p.batchSize() != null
        && p.gradAccumSteps() != null
        && p.batchSize() % p.gradAccumSteps() != 0) {
      s.add(
          Field.join(prefix, "batch_size"),
          "must be a multiple of grad_accum_steps (" + p.gradAccumSteps() + ")");
    }
    if (p.trainTokens() != null) {
      for (int i = 0; i < p.trainTokens().size(); i++) {
        List<String> e = p.trainTokens().get(i);
        String path = Field.join(prefix, "train_tokens") + "[" + i + "]";
        if (e == null || e.isEmpty() || e.get(0) == null || e.get(0).isBlank()) {
          s.add(path, "must be [token, regex] with a token");
          continue;
        }
        boolean isNew =
            e.get(0).startsWith("[") && e.get(0).endsWith("]")
                || e.get(0).startsWith("<") && e.get(0).endsWith(">");
        if (!isNew) {
          checkRegex(e.get(0), path + "[0]", s);
        }
        if (e.size() > 1 && e.get(1) != null) {
          checkRegex(e.get(1), path + "[1]", s);
        }
      }
    }
  }

  private static void checkFinetune(JobParams p, String k, String prefix, Problems s) {
    if (p.modelName() == null) {
      s.add(
          Field.join(prefix, "model_name"),
          "is required for kind " + k + " (the fine-tuned model is registered as <tenant>/<name>)");
    }
    if (p.emaIters() == null) {
      for (Field f : List.of(EMA_BETA, EMA_START_ITERS)) {
        if (f.valueIn(p) != null) {
          s.add(Field.join(prefix, f.name()), "is only used with ema_iters (EMA on)");
        }
      }
    }
  }

  /** The pattern compiles as an RE2 expression (linear-time matching). */
  private static void checkRegex(String regex, String path, Problems s) {
    try {
      com.google.re2j.Pattern.compile(regex);
    } catch (com.google.re2j.PatternSyntaxException e) {
      s.add(path, "is not a valid RE2 regular expression: " + e.getDescription());
    }
  }

  private static boolean training(JobParams p) {
    return kind(p).isTraining();
  }

  private static boolean lora(JobParams p) {
    return kind(p) == JobKind.TRAIN_LORA;
  }

  private static boolean finetune(JobParams p) {
    return kind(p).isFinetune();
  }

  /** The official training config whose values a training job defaults to. */
  private static TrainingConfig config(JobParams p) {
    return TrainingConfig.of(kind(p), p.model());
  }

  /** Sampler, conditioning and job-shape controls that depend on the kind. */
  private static void checkControls(JobParams p, JobKind kind, String prefix, Problems s) {
    String k = kind.wire();
    boolean prior = kind != JobKind.RECONSTRUCT && kind != JobKind.DECODE;
    boolean decoder = kind != JobKind.PRIOR;
    checkGrid(p.priorTimesteps(), p.prior().steps(), "prior_timesteps", "prior", prefix, s);
    checkGrid(p.decoderTimesteps(), p.decoder().steps(), "decoder_timesteps", "decoder", prefix, s);
    if (!p.priorTimesteps().isEmpty() && (!prior || kind == JobKind.IMAGE_TO_IMAGE)) {
      s.add(
          Field.join(prefix, "prior_timesteps"),
          "is not used by kind " + k + (prior ? " (it starts at t = strength)" : " (no Stage C)"));
    }
    if (!decoder && !p.decoderTimesteps().isEmpty()) {
      s.add(Field.join(prefix, "decoder_timesteps"), "is not used by kind prior (no Stage B)");
    }
    if (!decoder && p.decoderNegativePrompt() != null && !p.decoderNegativePrompt().isEmpty()) {
      s.add(
          Field.join(prefix, "decoder_negative_prompt"), "is not used by kind prior (no Stage B)");
    }
    if (!p.extraImages().isEmpty()
        && (!(kind == JobKind.IMAGE_VARIATION || kind == JobKind.PRIOR) || p.image() == null)) {
      s.add(
          Field.join(prefix, "extra_images"),
          "is only used by kinds image_variation and prior, after image");
    }
    if (p.latents() != null && (kind == JobKind.IMAGE_TO_IMAGE || kind == JobKind.CONTROLNET)) {
      s.add(
          Field.join(prefix, "latents"),
          "is not used by kind " + k + " (it starts from its image)");
    }
    if (kind == JobKind.DECODE && p.embeddings() == null) {
      s.add(
          Field.join(prefix, "embeddings"),
          "is required for kind decode: an upload holding image_embeddings, the Stage C latents"
              + " (a prior job's result)");
    }
  }

  private static void checkGrid(
      List<Double> grid, Integer steps, String field, String stage, String prefix, Problems s) {
    if (grid.isEmpty()) {
      return;
    }
    if (grid.size() < 2) {
      s.add(Field.join(prefix, field), "must list at least 2 times (start and end point)");
      return;
    }
    for (int i = 1; i < grid.size(); i++) {
      if (!(grid.get(i).floatValue() < grid.get(i - 1).floatValue())) {
        s.add(Field.join(prefix, field), "must be strictly decreasing (as float32) at " + i);
        return;
      }
    }
    if (!(grid.get(0).floatValue() > 0f)) {
      s.add(Field.join(prefix, field), "must start above 0");
    }
    if (steps != null && steps != grid.size() - 1) {
      s.add(
          Field.join(prefix, stage + ".steps"),
          "must be the number of " + field + " minus one (" + (grid.size() - 1) + ") or unset");
    }
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
          if (jv == null || ((List<?>) jv).isEmpty()) {
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
  private static List<Double> doubles(Object v) {
    return (List<Double>) v;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object v) {
    return (List<String>) v;
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
  private static List<String> stringsOf(Object v) {
    return (List<String>) v;
  }

  @SuppressWarnings("unchecked")
  private static List<List<String>> pairsOf(Object v) {
    return (List<List<String>>) v;
  }

  @SuppressWarnings("unchecked")
  private static List<TrainImage> trainImages(Object v) {
    return (List<TrainImage>) v;
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
