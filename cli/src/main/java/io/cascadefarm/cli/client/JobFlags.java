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
    if (priorSteps != null) {
      o.putObject("prior").put("steps", priorSteps);
    }
    if (decoderSteps != null) {
      o.putObject("decoder").put("steps", decoderSteps);
    }
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
    return o;
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
