package io.cascadefarm.cascade.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.net.clip.TextConditioning;

/**
 * Text conditioning of a batch (official train/base.py and train/train_c.py get_conditions): the
 * prompts; the Stage C unconditional branch (the negative prompt, or the cached empty prompt when
 * there is none); the Stage B unconditional branch (the decoder negative prompt, by default the
 * empty prompt as the official code). Precomputed embeddings of a request (diffusers' {@code
 * prompt_embeds}, {@code prompt_embeds_pooled}, {@code negative_prompt_embeds}, {@code
 * negative_prompt_embeds_pooled}) replace the encoded rows of that request; each holds one row
 * (used for every image) or one per image.
 */
record TextInputs(
    TextConditioning cond, TextConditioning priorUncond, TextConditioning decoderUncond) {

  static TextInputs encode(ClipTextEncoder encoder, BatchPlan plan, NDManager manager) {
    TextConditioning cond = weighted(encoder, plan, plan.prompts(), manager);
    TextConditioning empty = encoder.unconditional(plan.size(), manager);
    boolean anyNegative = plan.negativePrompts().stream().anyMatch(p -> !p.isEmpty());
    TextConditioning prior =
        anyNegative ? weighted(encoder, plan, plan.negativePrompts(), manager) : empty;
    boolean anyDecoderNegative =
        plan.rows().stream().anyMatch(r -> !plan.request(r).decoderNegativePrompt().isEmpty());
    TextConditioning decoder =
        anyDecoderNegative
            ? encoder.encode(
                plan.rows().stream().map(r -> plan.request(r).decoderNegativePrompt()).toList(),
                manager)
            : empty;
    cond =
        new TextConditioning(
            override(plan, "prompt_embeds", cond.tokens(), manager),
            override(plan, "prompt_embeds_pooled", cond.pooled(), manager));
    prior =
        new TextConditioning(
            override(plan, "negative_prompt_embeds", prior.tokens(), manager),
            override(plan, "negative_prompt_embeds_pooled", prior.pooled(), manager));
    return new TextInputs(cond, prior, decoder);
  }

  /**
   * The prompts of every row encoded, with {@code (text:weight)} applied for the rows whose request
   * asks for prompt weights ({@link PromptWeights}).
   */
  static TextConditioning weighted(
      ClipTextEncoder encoder, BatchPlan plan, java.util.List<String> prompts, NDManager manager) {
    if (plan.requests().stream().noneMatch(GenerationRequest::promptWeights)) {
      return encoder.encode(prompts, manager);
    }
    java.util.List<String> plain = new java.util.ArrayList<>();
    float[][] weights = new float[prompts.size()][];
    for (int i = 0; i < prompts.size(); i++) {
      if (plan.request(plan.rows().get(i)).promptWeights()) {
        plain.add(PromptWeights.plain(prompts.get(i)));
        weights[i] = PromptWeights.tokenWeights(encoder.tokenizer(), prompts.get(i));
      } else {
        plain.add(prompts.get(i));
      }
    }
    TextConditioning c = encoder.encode(plain, manager);
    return new TextConditioning(PromptWeights.apply(c.tokens(), weights, manager), c.pooled());
  }

  /** {@code encoded} with the rows of requests that carry embedding {@code name} replaced. */
  static NDArray override(BatchPlan plan, String name, NDArray encoded, NDManager manager) {
    boolean any = plan.requests().stream().anyMatch(q -> q.embeddings().containsKey(name));
    if (!any) {
      return encoded;
    }
    NDList rows = new NDList();
    for (int i = 0; i < plan.size(); i++) {
      BatchPlan.Row row = plan.rows().get(i);
      HostTensor given = plan.request(row).embeddings().get(name);
      NDArray own = encoded.get(i + ":" + (i + 1));
      if (given == null) {
        rows.add(own);
        continue;
      }
      NDArray t = rowOf(given, row.image(), name, manager);
      if (!t.getShape().equals(own.getShape())) {
        throw new IllegalArgumentException(
            "embedding "
                + name
                + " has rows of shape "
                + t.getShape()
                + ", the model needs "
                + own.getShape());
      }
      rows.add(t.toType(own.getDataType(), false));
    }
    return NDArrays.concat(rows);
  }

  /** Row {@code image} of a precomputed tensor [1 or images, ...] as a [1, ...] array. */
  static NDArray rowOf(HostTensor t, int image, String name, NDManager manager) {
    long[] shape = t.shape();
    if (shape.length < 2) {
      throw new IllegalArgumentException(
          name + " must have a batch dimension, got " + t.shapeText());
    }
    int rows = Math.toIntExact(shape[0]);
    int r = rows == 1 ? 0 : image;
    if (r >= rows) {
      throw new IllegalArgumentException(name + " has " + rows + " rows; give 1 or one per image");
    }
    int per = t.data().length / Math.max(1, rows);
    float[] data = java.util.Arrays.copyOfRange(t.data(), r * per, (r + 1) * per);
    long[] one = shape.clone();
    one[0] = 1;
    return manager.create(data, new ai.djl.ndarray.types.Shape(one));
  }
}
