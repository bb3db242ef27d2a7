/**
 * CLIP encoders of Stable Cascade with transformers checkpoint key names.
 *
 * <p><b>Text</b> ({@code CLIPTextModelWithProjection}, OpenCLIP ViT-bigG/14 text tower): {@code
 * ClipTextEncoder enc = ClipTextEncoder.load(textEncoderSafetensors, tokenizerDir,
 * ClipTextConfig.big(), manager); TextConditioning c = enc.encode(prompts, out);} gives {@code
 * c.tokens()} = {@code hidden_states[-1]} (last layer, before the final LayerNorm) (B, 77, 1280)
 * for Stage C {@code clip_text}, and {@code c.pooled()} = projected final-LN vector at the first
 * EOS (B, 1, 1280) for Stage C {@code clip_text_pooled} and Stage B {@code clip}. {@code
 * enc.unconditional(B, out)} is the cached empty-prompt conditioning (official uncond branch).
 * Padding is {@code <|endoftext|>}; padded positions are masked as keys but still produce outputs.
 *
 * <p><b>Image</b> ({@code CLIPVisionModelWithProjection}, OpenAI ViT-L/14): {@code
 * ClipImageEncoder.load(imageEncoderSafetensors, ClipVisionConfig.big(), manager).encode(images01,
 * out)} gives {@code clip_img} (B, 1, 768); {@code zeros(B, out)} is the no-image input.
 *
 * <p>{@code tiny} presets (width 32, 2 layers; image 28 px, projection 24) match the tiny Stage C
 * fixtures' conditioning widths, for tests with random weights. LoRA token variants: {@link
 * io.cascadefarm.cascade.net.clip.ClipTextEncoder#withTokens}; use the same variant for Stage C and
 * Stage B (the official LoRA notebook shares the text model).
 */
package io.cascadefarm.cascade.net.clip;
