package io.cascadefarm.cascade.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PNG text entries that record how an image was made: kind, prompt, negative prompt, seed,
 * size, per-stage steps/guidance/shift, strength (image-to-image) and the model description.
 */
public final class GenerationMetadata {
  private GenerationMetadata() {}

  /** Text entries for image {@code seed} of {@code request}; {@code modelName} as reported. */
  public static Map<String, String> of(GenerationRequest request, long seed, String modelName) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Software", "Cascade Farm (Stable Cascade)");
    m.put("kind", request.kind().wireName());
    m.put("prompt", request.prompt());
    m.put("negative_prompt", request.negativePrompt());
    m.put("seed", Long.toString(seed));
    m.put("width", Integer.toString(request.width()));
    m.put("height", Integer.toString(request.height()));
    if (request.kind().usesPrior()) {
      m.put("prior_steps", Integer.toString(request.prior().steps()));
      m.put("prior_guidance", Double.toString(request.prior().guidance()));
      m.put("prior_shift", Double.toString(request.prior().shift()));
    }
    if (request.kind().usesPrior() && request.prior().timesteps() != null) {
      m.put("prior_timesteps", request.prior().timesteps().toString());
    }
    if (request.kind().usesDecoder()) {
      m.put("decoder_steps", Integer.toString(request.decoder().steps()));
      m.put("decoder_guidance", Double.toString(request.decoder().guidance()));
      m.put("decoder_shift", Double.toString(request.decoder().shift()));
      if (request.decoder().timesteps() != null) {
        m.put("decoder_timesteps", request.decoder().timesteps().toString());
      }
      if (!request.decoderNegativePrompt().isEmpty()) {
        m.put("decoder_negative_prompt", request.decoderNegativePrompt());
      }
    }
    // only when not the defaults, so that default renders keep their exact PNG bytes
    if (request.sampler() != io.cascadefarm.cascade.diffusion.SamplerType.DDPM) {
      m.put("sampler", request.sampler().wireName());
    }
    if (request.cfgRescale() != RequestDefaults.CFG_RESCALE) {
      m.put("cfg_rescale", Double.toString(request.cfgRescale()));
    }
    if (request.promptWeights()) {
      m.put("prompt_weights", "a1111");
    }
    if (request.noise() != NoiseKind.JAVA) {
      m.put("noise", request.noise().wireName());
    }
    if (request.kind() == GenerationKind.IMAGE_TO_IMAGE) {
      m.put("strength", Double.toString(request.strength()));
    }
    m.put("model", modelName);
    return m;
  }
}
