package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.nn.WeightSource;
import io.cascadefarm.cascade.text.ClipTokenizer;
import io.cascadefarm.cascade.text.TokenizedPrompt;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Prompt to Stable Cascade text conditioning: tokenizer + {@link ClipTextModel} + the cached
 * empty-prompt embedding. Thread-safe; weights are owned by the manager given at load time (or by
 * the base encoder for {@link #withTokens} variants) and freed by {@link #close()}.
 */
public final class ClipTextEncoder implements AutoCloseable {
  private final ClipTokenizer tokenizer;
  private final ClipTextModel model;
  private final TokenRows extraRows;
  private final NDManager weights;
  private final EmptyPromptCache emptyPrompt;

  private ClipTextEncoder(
      ClipTokenizer tokenizer,
      ClipTextModel model,
      TokenRows extraRows,
      NDManager weights,
      EmptyPromptCache emptyPrompt) {
    this.tokenizer = tokenizer;
    this.model = model;
    this.extraRows = extraRows;
    this.weights = weights;
    this.emptyPrompt = emptyPrompt;
  }

  /**
   * Loads {@code text_encoder/model.safetensors} (strict key check; {@code position_ids} optional)
   * into a new sub-manager of {@code parent} and the tokenizer from {@code tokenizerDir}.
   */
  public static ClipTextEncoder load(
      Path weightsFile, Path tokenizerDir, ClipTextConfig config, NDManager parent)
      throws Exception {
    ClipTokenizer tokenizer = ClipTokenizer.load(tokenizerDir);
    try (ClipWeights source = ClipWeights.open(weightsFile)) {
      return create(tokenizer, config, source, parent);
    }
  }

  /** Binds {@code source} (strictly) to a new model in a sub-manager of {@code parent}. */
  public static ClipTextEncoder create(
      ClipTokenizer tokenizer, ClipTextConfig config, WeightSource source, NDManager parent) {
    if (tokenizer.contextLength() > config.maxPositions()) {
      throw new IllegalArgumentException(
          "tokenizer context "
              + tokenizer.contextLength()
              + " > maxPositions "
              + config.maxPositions());
    }
    ClipTextModel model = new ClipTextModel(config);
    NDManager manager = parent.newSubManager();
    try {
      WeightBinder.bind(model, source, manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    return new ClipTextEncoder(tokenizer, model, TokenRows.NONE, manager, new EmptyPromptCache());
  }

  /**
   * Encodes prompts; the result arrays live in {@code out}. Shapes (big): tokens (B, 77, 1280),
   * pooled (B, 1, 1280).
   */
  public TextConditioning encode(List<String> prompts, NDManager out) {
    return encode(prompts, out, null);
  }

  /**
   * Offsets added to the looked-up token embeddings (B, L, width) of a batch of ids; used by the
   * LoRA trainer for the ReToken deltas, which carry gradients.
   */
  @FunctionalInterface
  public interface TokenOffsets {
    /** The offsets for {@code ids} (B, L), created in {@code manager}, or null for none. */
    NDArray offsets(int[][] ids, NDManager manager);
  }

  /**
   * {@link #encode(List, NDManager)} with {@code offsets} (may be null) added to the token
   * embeddings before the transformer, as {@code train_c_lora.py}'s {@code ReToken} parametrization
   * does.
   */
  public TextConditioning encode(List<String> prompts, NDManager out, TokenOffsets offsets) {
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("prompts must not be empty");
    }
    List<TokenizedPrompt> tokenized = tokenizer.encodeAll(prompts);
    try (NDManager work = out.newSubManager()) {
      int b = tokenized.size();
      int l = tokenizer.contextLength();
      int[][] ids = new int[b][];
      long[] pooledRows = new long[b];
      for (int n = 0; n < b; n++) {
        ids[n] = tokenized.get(n).ids();
        pooledRows[n] = (long) n * l + pooledPosition(tokenized.get(n));
      }
      NDArray bias = TextAttentionBias.build(tokenized, work);
      NDArray rows = io.cascadefarm.cascade.nn.Autograd.own(work.create(pooledRows, new Shape(b)));
      NDArray added = offsets == null ? null : offsets.offsets(ids, work);
      ClipTextModel.Output o = model.forward(ids, bias, rows, extraRows, added);
      NDArray tokens = o.lastHidden();
      NDArray pooled = o.projectedPooled().reshape(b, 1, model.config().projectionDim());
      tokens.attach(out);
      pooled.attach(out);
      return new TextConditioning(tokens, pooled);
    }
  }

  /** {@link #encode} of a single prompt (batch 1). */
  public TextConditioning encode(String prompt, NDManager out) {
    return encode(List.of(prompt), out);
  }

  /**
   * Conditioning of the empty prompt {@code ""} (the official unconditional branch), repeated
   * {@code batch} times into {@code out}. Computed once per base encoder and cached.
   */
  public TextConditioning unconditional(int batch, NDManager out) {
    return emptyPrompt.get(this).repeat(batch, out);
  }

  /**
   * A variant with extra/replaced token-embedding rows (LoRA tokens) and the matching tokenizer.
   * Shares the weights and the empty-prompt cache (the empty prompt never uses such rows); closing
   * the variant does not free the base weights.
   */
  public ClipTextEncoder withTokens(ClipTokenizer extendedTokenizer, Map<Integer, float[]> rows) {
    for (Map.Entry<Integer, float[]> e : rows.entrySet()) {
      if (e.getValue().length != model.config().width()) {
        throw new IllegalArgumentException(
            "token row "
                + e.getKey()
                + " has "
                + e.getValue().length
                + " values, expected "
                + model.config().width());
      }
      if (e.getKey() < 0 || e.getKey() >= extendedTokenizer.vocabSize()) {
        throw new IllegalArgumentException("token row id " + e.getKey() + " outside vocabulary");
      }
    }
    return new ClipTextEncoder(extendedTokenizer, model, new TokenRows(rows), null, emptyPrompt);
  }

  /** The embedding row of a token id as this encoder sees it (override or checkpoint row). */
  public float[] tokenEmbedding(int id) {
    if (extraRows.contains(id)) {
      return extraRows.row(id);
    }
    try (NDArray row = model.tokenEmbeddingWeight().get(id)) {
      return row.toFloatArray();
    }
  }

  /** Replacement rows of this variant (empty for a base encoder). */
  public Map<Integer, float[]> tokenRows() {
    return extraRows.asMap();
  }

  /** The device the encoder's weights live on. */
  public ai.djl.Device device() {
    if (weights != null) {
      return weights.getDevice();
    }
    // a token variant shares the base's weights (no manager of its own)
    return model.tokenEmbeddingWeight().getDevice();
  }

  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  public ClipTextConfig config() {
    return model.config();
  }

  /** The key-compatible network (for key checks). */
  public ClipTextModel model() {
    return model;
  }

  private int pooledPosition(TokenizedPrompt p) {
    return model.config().pooledPosition().indexIn(p.ids(), tokenizer.eosId(), p.eosIndex());
  }

  @Override
  public void close() {
    if (weights != null) {
      weights.close();
    }
  }
}
