package io.cascadefarm.cli.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Exactly the files a model variant needs (the Hugging Face repos stabilityai/stable-cascade and
 * stable-cascade-prior, and {@link io.cascadefarm.cascade.model.ModelLayout}): Stage A/B/C,
 * EfficientNet encoder, Previewer, CLIP text encoder and tokenizer from {@value #CASCADE}, and the
 * CLIP image encoder (image variation) from {@value #PRIOR}. {@code bf16} picks the {@code *_bf16}
 * Stage B/C files (half the download; widened to float32 on load), {@code fp32} the full-precision
 * ones.
 */
public final class VariantFiles {
  public static final String CASCADE = "stabilityai/stable-cascade";
  public static final String PRIOR = "stabilityai/stable-cascade-prior";
  public static final List<String> VARIANTS = List.of("lite", "big");
  public static final List<String> DTYPES = List.of("bf16", "fp32");

  private VariantFiles() {}

  public static List<FileRef> files(String variant, String dtype) {
    String v = variant == null ? "" : variant.toLowerCase(Locale.ROOT);
    String d = dtype == null ? "" : dtype.toLowerCase(Locale.ROOT);
    if (!VARIANTS.contains(v)) {
      throw new IllegalArgumentException("--variant must be lite or big; got " + variant);
    }
    if (!DTYPES.contains(d)) {
      throw new IllegalArgumentException("--dtype must be bf16 or fp32; got " + dtype);
    }
    String suffix = (v.equals("lite") ? "_lite" : "") + (d.equals("bf16") ? "_bf16" : "");
    List<FileRef> out = new ArrayList<>();
    out.add(new FileRef(CASCADE, "stage_c" + suffix + ".safetensors"));
    out.add(new FileRef(CASCADE, "stage_b" + suffix + ".safetensors"));
    out.addAll(shared());
    return out;
  }

  /** The ControlNet types the official model repo ships ({@code controlnet/<type>.safetensors}). */
  public static final List<String> CONTROLNETS = List.of("canny", "inpainting", "super_resolution");

  /**
   * The official ControlNet files (for the 3.6B Stage C, model big); their layout is the one {@link
   * io.cascadefarm.cascade.model.ModelLayout#controlNet} reads.
   */
  public static List<FileRef> controlNets() {
    return CONTROLNETS.stream()
        .map(t -> new FileRef(CASCADE, "controlnet/" + t + ".safetensors"))
        .toList();
  }

  /** Files every variant uses. */
  public static List<FileRef> shared() {
    return List.of(
        new FileRef(CASCADE, "stage_a.safetensors"),
        new FileRef(CASCADE, "effnet_encoder.safetensors"),
        new FileRef(CASCADE, "previewer.safetensors"),
        new FileRef(CASCADE, "text_encoder/model.safetensors"),
        new FileRef(CASCADE, "tokenizer/vocab.json"),
        new FileRef(CASCADE, "tokenizer/merges.txt"),
        new FileRef(PRIOR, "image_encoder/model.safetensors"));
  }
}
