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
    return priorDir().resolve("image_encoder").resolve("model.safetensors");
  }

  private Path pick(String stage, boolean lite) {
    String base = stage + (lite ? "_lite" : "");
    Path bf16 = cascadeDir().resolve(base + "_bf16.safetensors");
    return Files.isRegularFile(bf16) ? bf16 : cascadeDir().resolve(base + ".safetensors");
  }

  /** Files a variant needs that are missing (empty when everything is there). */
  public List<Path> missingFor(boolean lite) {
    List<Path> needed =
        List.of(
            stageA(),
            stageB(lite),
            stageC(lite),
            effnet(),
            previewer(),
            textEncoder(),
            tokenizer().resolve("vocab.json"),
            tokenizer().resolve("merges.txt"),
            imageEncoder());
    List<Path> missing = new ArrayList<>();
    for (Path p : needed) {
      if (!Files.isRegularFile(p)) {
        missing.add(p);
      }
    }
    return missing;
  }
}
