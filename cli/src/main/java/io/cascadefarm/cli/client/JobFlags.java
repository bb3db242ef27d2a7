package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.json.Json;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The job fields {@code farm submit} takes as flags. Alone they make one job; with {@code --batch}
 * they are defaults applied to every job of the file (over the file's own defaults).
 */
public final class JobFlags {
  @Option(
      names = "--kind",
      description =
          "text_to_image (default), image_variation, image_to_image, reconstruct, controlnet,"
              + " prior, decode")
  String kind;

  @Option(names = "--prompt", description = "The prompt")
  String prompt;

  @Option(names = "--negative-prompt", description = "The negative prompt")
  String negativePrompt;

  @Option(names = "--model", description = "tiny, lite or big (server default: lite)")
  String model;

  @Option(names = "--width", description = "Width in pixels")
  Integer width;

  @Option(names = "--height", description = "Height in pixels")
  Integer height;

  @Option(names = "--seed", description = "Seed (random when absent)")
  Long seed;

  @Option(names = "--images", description = "Images per job")
  Integer images;

  @Option(names = "--prior-steps", description = "Stage C steps")
  Integer priorSteps;

  @Option(names = "--decoder-steps", description = "Stage B steps")
  Integer decoderSteps;

  @Option(names = "--strength", description = "image_to_image strength")
  Double strength;

  @Option(
      names = "--image",
      paramLabel = "FILE|KEY",
      description =
          "Input image: a local file (uploaded first) or an uploads/... key; repeat it for"
              + " image_variation and prior (the rest become extra_images)")
  List<String> inputs;

  @Option(names = "--prompt-weights", description = "off (server default) or a1111: (text:weight)")
  String promptWeights;

  @Option(names = "--sampler", description = "ddpm (server default) or ddim")
  String sampler;

  @Option(names = "--noise", description = "java (server default) or torch")
  String noise;

  @Option(
      names = "--cfg-rescale",
      description = "The official cfg_rho (server default 0.7; 0 = off)")
  Double cfgRescale;

  @Option(names = "--decoder-negative-prompt", description = "Stage B's unconditional prompt")
  String decoderNegativePrompt;

  @Option(names = "--prior-timesteps", split = ",", description = "Custom Stage C time grid")
  List<Double> priorTimesteps;

  @Option(names = "--decoder-timesteps", split = ",", description = "Custom Stage B time grid")
  List<Double> decoderTimesteps;

  @Option(
      names = "--latents",
      paramLabel = "FILE|KEY",
      description = "Initial latents: a safetensors file (uploaded first) or an uploads/... key")
  String latents;

  @Option(
      names = "--embeddings",
      paramLabel = "FILE|KEY",
      description =
          "Precomputed embeddings (diffusers names; decode: a prior result): a safetensors file"
              + " (uploaded first) or an uploads/... key")
  String embeddings;

  @Option(names = "--guidance", description = "Stage C guidance scale")
  Double guidance;

  @Option(names = "--shift", description = "Stage C shift")
  Double shift;

  @Option(names = "--decoder-guidance", description = "Stage B guidance scale")
  Double decoderGuidance;

  @Option(names = "--decoder-shift", description = "Stage B shift")
  Double decoderShift;

  @Option(
      names = "--control",
      description = "ControlNet: inpainting, canny, super_resolution or identity")
  String control;

  @Option(
      names = "--mask",
      paramLabel = "FILE|KEY",
      description = "Inpainting mask: a local file (uploaded first) or an uploads/... key")
  String mask;

  @Option(names = "--control-strength", description = "ControlNet strength")
  Double controlStrength;

  @Option(
      names = "--lora",
      paramLabel = "NAME[:STRENGTH]",
      description = "A LoRA uploaded to the farm (repeatable)")
  java.util.List<String> loras = new java.util.ArrayList<>();

  @Option(names = "--priority", description = "high, normal (default) or low")
  String priority;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description = "A label to find the job again (repeatable)")
  java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();

  @Option(names = "--webhook-url", description = "Where signed webhooks of the job go")
  String webhookUrl;

  @Option(
      names = "--webhook-event",
      description = "job.succeeded, job.failed, job.cancelled (repeatable; default all)")
  java.util.List<String> webhookEvents = new java.util.ArrayList<>();

  @Option(
      names = "--preview-every",
      description = "Live preview every N Stage C steps (GET /v1/jobs/{id}/preview, SSE preview)")
  Integer previewEvery;

  /** The fields given as flags, as a JSON object ({@code image} resolved by {@code uploader}). */
  ObjectNode toJson(Uploader uploader) {
    ObjectNode o = Json.mapper().createObjectNode();
    putIfSet(o, "kind", kind);
    putIfSet(o, "prompt", prompt);
    putIfSet(o, "negative_prompt", negativePrompt);
    putIfSet(o, "model", model);
    putIfSet(o, "width", width);
    putIfSet(o, "height", height);
    putIfSet(o, "seed", seed);
    putIfSet(o, "images", images);
    putIfSet(o, "strength", strength);
    stage(o, "prior", priorSteps, guidance, shift);
    stage(o, "decoder", decoderSteps, decoderGuidance, decoderShift);
    if (inputs != null && !inputs.isEmpty()) {
      o.put("image", key(inputs.get(0), uploader));
      if (inputs.size() > 1) {
        ArrayNode more = o.putArray("extra_images");
        inputs.subList(1, inputs.size()).forEach(i -> more.add(key(i, uploader)));
      }
    }
    putIfSet(o, "sampler", sampler);
    putIfSet(o, "prompt_weights", promptWeights);
    putIfSet(o, "noise", noise);
    putIfSet(o, "cfg_rescale", cfgRescale);
    putIfSet(o, "decoder_negative_prompt", decoderNegativePrompt);
    putIfSet(o, "prior_timesteps", priorTimesteps);
    putIfSet(o, "decoder_timesteps", decoderTimesteps);
    if (latents != null) {
      o.put("latents", key(latents, uploader));
    }
    if (embeddings != null) {
      o.put("embeddings", key(embeddings, uploader));
    }
    putIfSet(o, "control", control);
    if (mask != null) {
      o.put("mask", key(mask, uploader));
    }
    putIfSet(o, "control_strength", controlStrength);
    if (!loras.isEmpty()) {
      var array = o.putArray("loras");
      for (String l : loras) {
        int colon = l.lastIndexOf(':');
        var lora = array.addObject();
        if (colon > 0) {
          lora.put("name", l.substring(0, colon));
          lora.put("strength", Double.parseDouble(l.substring(colon + 1)));
        } else {
          lora.put("name", l);
        }
      }
    }
    putIfSet(o, "priority", priority);
    if (!labels.isEmpty()) {
      o.set("labels", Json.mapper().valueToTree(labels));
    }
    putIfSet(o, "webhook_url", webhookUrl);
    if (!webhookEvents.isEmpty()) {
      o.set("webhook_events", Json.mapper().valueToTree(webhookEvents));
    }
    putIfSet(o, "preview_every", previewEvery);
    return o;
  }

  private static void stage(ObjectNode o, String name, Integer steps, Double g, Double shift) {
    if (steps == null && g == null && shift == null) {
      return;
    }
    ObjectNode st = o.putObject(name);
    putIfSet(st, "steps", steps);
    putIfSet(st, "guidance", g);
    putIfSet(st, "shift", shift);
  }

  private static String key(String fileOrKey, Uploader uploader) {
    return fileOrKey.startsWith("uploads/") ? fileOrKey : uploader.upload(Path.of(fileOrKey));
  }

  private static void putIfSet(ObjectNode o, String field, Object value) {
    if (value != null) {
      o.set(field, Json.mapper().valueToTree(value));
    }
  }

  /** Uploads a local file (image or safetensors) and returns its key. */
  interface Uploader {
    String upload(Path file);
  }
}
