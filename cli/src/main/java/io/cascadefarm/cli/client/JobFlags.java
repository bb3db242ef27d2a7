package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.json.Json;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The job fields {@code farm submit} takes as flags. Alone they make one job; with {@code --batch}
 * they are defaults applied to every job of the file (over the file's own defaults).
 */
public final class JobFlags {
  @Option(names = "--kind", description = "text_to_image (default), image_variation, ...")
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
      description = "Input image: a local file (uploaded first) or an uploads/... key")
  String image;

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
    if (image != null) {
      o.put("image", image.startsWith("uploads/") ? image : uploader.upload(Path.of(image)));
    }
    return o;
  }

  private static void putIfSet(ObjectNode o, String field, Object value) {
    if (value != null) {
      o.set(field, Json.mapper().valueToTree(value));
    }
  }

  /** Uploads a local image and returns its key. */
  interface Uploader {
    String upload(Path file);
  }
}
