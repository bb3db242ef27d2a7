package io.cascadefarm.cascade.pipeline;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.net.clip.TextConditioning;

/**
 * Text conditioning of a batch (official train/base.py and train/train_c.py get_conditions): the
 * prompts; the Stage C unconditional branch (the negative prompt, or the cached empty prompt when
 * there is none); the Stage B unconditional branch (always the empty prompt, as the official code
 * does).
 */
record TextInputs(
    TextConditioning cond, TextConditioning priorUncond, TextConditioning decoderUncond) {

  static TextInputs encode(ClipTextEncoder encoder, BatchPlan plan, NDManager manager) {
    TextConditioning cond = encoder.encode(plan.prompts(), manager);
    TextConditioning empty = encoder.unconditional(plan.size(), manager);
    boolean anyNegative = plan.negativePrompts().stream().anyMatch(p -> !p.isEmpty());
    TextConditioning prior = anyNegative ? encoder.encode(plan.negativePrompts(), manager) : empty;
    return new TextInputs(cond, prior, empty);
  }
}
