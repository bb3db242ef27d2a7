/**
 * LoRAs for Stage C (official modules/lora.py): loading, mapping to Stage C weights, merging into
 * copies, and the text-encoder "ReToken" rows.
 *
 * <p><b>Layouts</b> ({@link io.cascadefarm.cascade.net.lora.LoraLayout}): the official {@code
 * train_c_lora.py} checkpoint ({@code weights.<k>.lora_down/up} in {@code apply_lora} traversal
 * order — per attention block {@code out_proj} then {@code in_proj_weight} — scale {@code 1/r},
 * plus {@code embeddings.embeddings/indices}); and diffusers/PEFT names ({@code
 * <block>.attention.to_q|to_k|to_v|to_out.0.lora_A|lora_B.weight}, optional {@code .alpha}) mapped
 * to the q/k/v row blocks of the packed {@code in_proj_weight} and to {@code out_proj.weight}.
 * Kohya-style underscore names are not supported.
 *
 * <p><b>Merge</b>: {@code W' = W + strength * (up @ down) * alpha / r}; several LoRAs add their
 * deltas ({@code W + sum_i strength_i * delta_i}, order-independent up to float rounding).
 *
 * <p><b>API</b>: {@code LoraVariants<StageC> v = new LoraVariants<>(stageC, () -> new StageC(cfg),
 * LoraTargets.OFFICIAL_FILTERS, capacity, manager);} then {@code v.network(List.of(new
 * LoraApplication(path, 0.8f)))} returns a cached merged copy (untouched tensors shared with the
 * base) and {@code v.textEncoder(clipText, sameList)} the text encoder with the LoRAs' new tokens
 * (use it for Stage C <i>and</i> Stage B conditioning, as the official notebook does). Token
 * definitions ({@code train_tokens}, e.g. {@code [["[fernando]", "^dog</w>"]]}) are not stored in
 * official files: pass them in {@link io.cascadefarm.cascade.net.lora.LoraApplication} or put them
 * in the file's {@code __metadata__} under {@code train_tokens}. Token rows are applied at full
 * strength. Lower level: {@link io.cascadefarm.cascade.net.lora.LoraFile}, {@link
 * io.cascadefarm.cascade.net.lora.LoraTargets}, {@link
 * io.cascadefarm.cascade.net.lora.LoraMergedWeights}, {@link
 * io.cascadefarm.cascade.net.lora.LoraTokens}. Checked against the official code with the fixture
 * {@code stage_c_lora}.
 */
package io.cascadefarm.cascade.net.lora;
