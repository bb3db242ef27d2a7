package io.cascadefarm.cascade.net.lora;

import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.text.ClipTokenizer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rebuilds the text-encoder side of official LoRAs ("ReToken", {@code train_c_lora.py}): for each
 * {@link TrainToken} in order, new tokens are added to the tokenizer (next free id) with their
 * regex-mean initial row; then the file's {@code embeddings.embeddings} deltas are added to the
 * rows {@code embeddings.indices}. Token deltas are applied at full strength (the LoRA strength
 * only scales the Stage C weights).
 *
 * <p>Several LoRAs: each file's ids for new tokens are relative to the base vocabulary (49408,
 * 49409, ... in its own {@code train_tokens} order); they are remapped by token text to the ids of
 * the combined tokenizer, so two LoRAs with different new tokens coexist; deltas on the same row
 * add up.
 */
public final class LoraTokens {
  /** One LoRA's token definition and stored deltas. */
  public record Spec(List<TrainToken> trainTokens, TokenDeltas deltas) {}

  private LoraTokens() {}

  /** The base encoder unchanged if no spec touches tokens, else a variant sharing its weights. */
  public static ClipTextEncoder apply(ClipTextEncoder base, List<Spec> specs) {
    if (specs.stream().allMatch(s -> s.deltas().isEmpty() && s.trainTokens().isEmpty())) {
      return base;
    }
    ClipTokenizer tokenizer = base.tokenizer();
    Map<Integer, float[]> rows = new LinkedHashMap<>(base.tokenRows());
    int baseVocab = tokenizer.baseVocabSize();
    for (Spec spec : specs) {
      Map<Long, Integer> localToGlobal = new HashMap<>();
      long nextLocal = baseVocab;
      for (TrainToken t : spec.trainTokens()) {
        if (!t.isNew()) {
          continue;
        }
        boolean known = tokenizer.id(t.token()).isPresent();
        tokenizer = tokenizer.withAddedTokens(List.of(t.token()));
        int id = tokenizer.id(t.token()).getAsInt();
        if (!known) {
          rows.put(id, initialRow(base, tokenizer, rows, t.initRegex(), id));
        }
        localToGlobal.put(nextLocal++, id);
      }
      addDeltas(base, spec, baseVocab, localToGlobal, rows);
    }
    return base.withTokens(tokenizer, rows);
  }

  private static void addDeltas(
      ClipTextEncoder base,
      Spec spec,
      int baseVocab,
      Map<Long, Integer> localToGlobal,
      Map<Integer, float[]> rows) {
    TokenDeltas d = spec.deltas();
    if (!d.isEmpty() && d.width() != base.config().width()) {
      throw new IllegalArgumentException(
          "LoRA token rows have width "
              + d.width()
              + " but the text encoder has "
              + base.config().width());
    }
    for (int i = 0; i < d.indices().length; i++) {
      long local = d.indices()[i];
      Integer id = local < baseVocab ? Integer.valueOf((int) local) : localToGlobal.get(local);
      if (id == null || local < 0) {
        throw new IllegalArgumentException(
            "LoRA updates token id "
                + local
                + " beyond the base "
                + "vocabulary ("
                + baseVocab
                + ") but no new token defines it: pass the train_tokens "
                + "of its training config (e.g. [\"[fernando]\", \"^dog</w>\"])");
      }
      float[] row = rows.containsKey(id) ? rows.get(id).clone() : base.tokenEmbedding(id);
      for (int k = 0; k < row.length; k++) {
        row[k] += d.rows()[i][k];
      }
      rows.put(id, row);
    }
  }

  /** Mean of the rows of vocabulary entries matching {@code regex} (zeros if none). */
  private static float[] initialRow(
      ClipTextEncoder base,
      ClipTokenizer tokenizer,
      Map<Integer, float[]> rows,
      String regex,
      int newId) {
    int width = base.config().width();
    double[] sum = new double[width];
    int n = 0;
    if (regex != null) {
      Pattern p = Pattern.compile(regex);
      for (Map.Entry<String, Integer> e : tokenizer.vocabulary().entrySet()) {
        int id = e.getValue();
        boolean hasRow = id < tokenizer.baseVocabSize() || rows.containsKey(id);
        if (id == newId || !hasRow || !p.matcher(e.getKey()).find()) {
          continue;
        }
        float[] row = rows.containsKey(id) ? rows.get(id) : base.tokenEmbedding(id);
        for (int k = 0; k < width; k++) {
          sum[k] += row[k];
        }
        n++;
      }
    }
    float[] out = new float[width];
    for (int k = 0; k < width && n > 0; k++) {
      out[k] = (float) (sum[k] / n);
    }
    return out;
  }
}
