package io.cascadefarm.cascade.net.lora;

/** Supported LoRA file layouts. */
public enum LoraLayout {
  /**
   * Official {@code train_c_lora.py} checkpoint: {@code weights.<k>.lora_down} (r, in), {@code
   * weights.<k>.lora_up} (out, r) in Stage C module-traversal order, scale {@code 1 / r}, plus
   * optional {@code embeddings.embeddings} / {@code embeddings.indices} (ReToken).
   */
  OFFICIAL,
  /**
   * diffusers/PEFT naming on the diffusers Stable Cascade prior: {@code
   * [prefix.]{down,up}_blocks.L.N.attention.{to_q,to_k,to_v,to_out.0}.lora_{A,B}.weight} (or {@code
   * .lora_down.weight}/{@code .lora_up.weight}), optional {@code .alpha} scalars; scale {@code
   * alpha / r}, or 1 when no alpha is stored (PEFT keeps {@code lora_alpha} in adapter_config.json
   * — pass it explicitly if it differs from r).
   */
  PEFT
}
