package io.cascadefarm.cascade.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.text.ClipTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt weights in the widely used {@code (text:weight)} form (AUTOMATIC1111's emphasis): {@code
 * "a (red:1.4) fox, (blurry:0.5)"} is encoded as {@code "a red fox, blurry"} and the CLIP hidden
 * state of every token of a weighted span is multiplied by its weight, after which the prompt's
 * whole {@code [77, D]} embedding is rescaled to its original mean. Only Stage C's token embeddings
 * ({@code clip_text}) are weighted; the pooled embedding (Stage C {@code clip_text_pooled}, Stage
 * B's {@code clip}) is that of the plain text. {@code \(} and {@code \)} are literal parentheses; a
 * parenthesis without {@code :number} before its closing one is literal too. Weights are in (0,
 * 10]. The official code and diffusers have no prompt weights; they are used only when a request
 * asks for them.
 */
final class PromptWeights {
  /** One run of text with its weight. */
  record Span(String text, float weight) {}

  private PromptWeights() {}

  /** The spans of {@code prompt} (consecutive, their texts joined = the plain prompt). */
  static List<Span> parse(String prompt) {
    List<Span> out = new ArrayList<>();
    StringBuilder plain = new StringBuilder();
    int i = 0;
    while (i < prompt.length()) {
      char c = prompt.charAt(i);
      if (c == '\\' && i + 1 < prompt.length() && "()".indexOf(prompt.charAt(i + 1)) >= 0) {
        plain.append(prompt.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == '(') {
        int close = prompt.indexOf(')', i);
        int colon = close < 0 ? -1 : prompt.lastIndexOf(':', close);
        if (colon > i) {
          String inner = prompt.substring(i + 1, colon);
          Float w = weight(prompt.substring(colon + 1, close));
          if (w != null && inner.indexOf('(') < 0) {
            if (plain.length() > 0) {
              out.add(new Span(plain.toString(), 1f));
              plain.setLength(0);
            }
            out.add(new Span(inner, w));
            i = close + 1;
            continue;
          }
        }
      }
      plain.append(c);
      i++;
    }
    if (plain.length() > 0 || out.isEmpty()) {
      out.add(new Span(plain.toString(), 1f));
    }
    return out;
  }

  private static Float weight(String text) {
    try {
      float w = Float.parseFloat(text.trim());
      if (!(w > 0f && w <= 10f)) {
        throw new IllegalArgumentException("prompt weight must be in (0, 10], got " + text.trim());
      }
      return w;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The prompt without the weight syntax. */
  static String plain(String prompt) {
    StringBuilder sb = new StringBuilder();
    parse(prompt).forEach(s -> sb.append(s.text()));
    return sb.toString();
  }

  /**
   * The weight of every token position ({@code contextLength}: start token, the spans' tokens in
   * order, end and padding at 1), or null when every weight is 1.
   */
  static float[] tokenWeights(ClipTokenizer tokenizer, String prompt) {
    List<Span> spans = parse(prompt);
    if (spans.stream().allMatch(s -> s.weight() == 1f)) {
      return null;
    }
    float[] w = new float[tokenizer.contextLength()];
    java.util.Arrays.fill(w, 1f);
    int pos = 1;
    for (Span s : spans) {
      int n = tokenizer.tokenize(s.text()).size();
      for (int k = 0; k < n && pos < w.length - 1; k++) {
        w[pos++] = s.weight();
      }
    }
    return w;
  }

  /**
   * {@code tokens} [B, L, D] with row {@code r} weighted by {@code weights[r]} (null = unchanged)
   * and rescaled to its original mean.
   */
  static NDArray apply(NDArray tokens, float[][] weights, NDManager manager) {
    NDList rows = new NDList();
    long b = tokens.getShape().get(0);
    long l = tokens.getShape().get(1);
    for (int r = 0; r < b; r++) {
      NDArray row = tokens.get(r + ":" + (r + 1));
      if (weights[r] == null) {
        rows.add(row);
        continue;
      }
      NDArray z = row.toType(DataType.FLOAT32, false);
      NDArray mean = z.mean();
      NDArray w = manager.create(weights[r], new Shape(1, l, 1));
      NDArray weighted = z.mul(w);
      NDArray rescaled = weighted.mul(mean.div(weighted.mean()));
      rows.add(rescaled.toType(tokens.getDataType(), false));
    }
    return NDArrays.concat(rows);
  }
}
