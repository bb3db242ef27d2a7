package io.cascadefarm.cascade.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * File layout of a model directory, as the Hugging Face repos lay it out
 * (stabilityai/stable-cascade and stable-cascade-prior on the Hub):
 *
 * <pre>
 * &lt;root&gt;/stable-cascade/stage_a.safetensors
 *                        stage_b[_lite][_bf16].safetensors
 *                        stage_c[_lite][_bf16].safetensors
 *                        effnet_encoder.safetensors, previewer.safetensors
 *                        text_encoder/model.safetensors, tokenizer/{vocab.json,merges.txt}
 *                        controlnet/{canny,inpainting,super_resolution}.safetensors
 * &lt;root&gt;/stable-cascade-prior/image_encoder/model.safetensors
 * </pre>
 *
 * For Stage B/C the bf16 file is preferred when both exist (half the bytes to read; values are
 * widened to float32 in Java either way).
 *
 * <p>A model directory may hold diffusers' layout instead of (or beside) the official files: {@code
 * stable-cascade/prior/}, {@code prior_lite/}, {@code decoder/}, {@code decoder_lite/}, {@code
 * vqgan/} (each {@code diffusion_pytorch_model[.bf16].safetensors} or shards with an index), {@code
 * text_encoder/}, {@code tokenizer/} and {@code image_encoder/} (there or in {@code
 * stable-cascade-prior/}). An official file wins where both exist; the diffusers component is read
 * through {@link DiffusersWeights}. Diffusers has no EfficientNet encoder and no Previewer: without
 * {@code effnet_encoder.safetensors} the image-to-image, reconstruct and ControlNet kinds are
 * refused, without {@code previewer.safetensors} there are no previews.
 */
public record ModelLayout(Path root) {

  public Path cascadeDir() {
    return root.resolve("stable-cascade");
  }

  public Path priorDir() {
    return root.resolve("stable-cascade-prior");
  }

  public Path stageA() {
    return cascadeDir().resolve("stage_a.safetensors");
  }

  /** Stage C of {@code lite} or {@code big}, bf16 preferred. */
  public Path stageC(boolean lite) {
    return pick("stage_c", lite);
  }

  /** Stage B of {@code lite} or {@code big}, bf16 preferred. */
  public Path stageB(boolean lite) {
    return pick("stage_b", lite);
  }

  public Path effnet() {
    return cascadeDir().resolve("effnet_encoder.safetensors");
  }

  public Path previewer() {
    return cascadeDir().resolve("previewer.safetensors");
  }

  public Path textEncoder() {
    return cascadeDir().resolve("text_encoder").resolve("model.safetensors");
  }

  public Path tokenizer() {
    return cascadeDir().resolve("tokenizer");
  }

  public Path controlNet(String type) {
    return cascadeDir().resolve("controlnet").resolve(type + ".safetensors");
  }

  public Path imageEncoder() {
    Path prior = priorDir().resolve("image_encoder").resolve("model.safetensors");
    Path combined = cascadeDir().resolve("image_encoder").resolve("model.safetensors");
    return !Files.isRegularFile(prior) && Files.isRegularFile(combined) ? combined : prior;
  }

  /** A diffusers component directory, e.g. {@code prior_lite} or {@code vqgan}. */
  public Path diffusers(String component) {
    return cascadeDir().resolve(component);
  }

  /** Stage C's diffusers directory ({@code prior} or {@code prior_lite}). */
  public Path diffusersStageC(boolean lite) {
    return diffusers(lite ? "prior_lite" : "prior");
  }

  /** Stage B's diffusers directory ({@code decoder} or {@code decoder_lite}). */
  public Path diffusersStageB(boolean lite) {
    return diffusers(lite ? "decoder_lite" : "decoder");
  }

  /** Stage A's diffusers directory ({@code vqgan}). */
  public Path diffusersStageA() {
    return diffusers("vqgan");
  }

  /** Whether {@code officialFile} is absent and the diffusers {@code dir} can stand in for it. */
  public static boolean fromDiffusers(Path officialFile, Path dir) {
    return !Files.isRegularFile(officialFile) && DiffusersWeights.present(dir);
  }

  private Path pick(String stage, boolean lite) {
    String base = stage + (lite ? "_lite" : "");
    Path bf16 = cascadeDir().resolve(base + "_bf16.safetensors");
    return Files.isRegularFile(bf16) ? bf16 : cascadeDir().resolve(base + ".safetensors");
  }

  /**
   * Files a variant needs that are missing (empty when everything is there). Stage A/B/C may come
   * from the diffusers layout; the EfficientNet encoder and the Previewer are only required when
   * neither Stage C nor Stage B comes from it (a diffusers checkpoint has neither).
   */
  public List<Path> missingFor(boolean lite) {
    boolean diffusersC = fromDiffusers(stageC(lite), diffusersStageC(lite));
    boolean diffusersB = fromDiffusers(stageB(lite), diffusersStageB(lite));
    List<Path> needed = new ArrayList<>();
    if (!fromDiffusers(stageA(), diffusersStageA())) {
      needed.add(stageA());
    }
    if (!diffusersB) {
      needed.add(stageB(lite));
    }
    if (!diffusersC) {
      needed.add(stageC(lite));
    }
    if (!diffusersB && !diffusersC) {
      needed.add(effnet());
      needed.add(previewer());
    }
    needed.addAll(
        List.of(
            textEncoder(),
            tokenizer().resolve("vocab.json"),
            tokenizer().resolve("merges.txt"),
            imageEncoder()));
    List<Path> missing = new ArrayList<>();
    for (Path p : needed) {
      if (!Files.isRegularFile(p)) {
        missing.add(p);
      }
    }
    return missing;
  }
}
