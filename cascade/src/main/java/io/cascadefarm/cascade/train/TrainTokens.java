package io.cascadefarm.cascade.train;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.net.lora.TrainToken;
import io.cascadefarm.cascade.text.ClipTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code train_tokens} of {@code train_c_lora.py setup_models}, evaluated with RE2/J (linear time,
 * so a tenant's pattern cannot hang a worker): for each {@code (token, regex)} in order, a
 * bracketed token ({@code [...]} or {@code <...>}) is added to the tokenizer and its row starts as
 * the mean of the rows of every vocabulary entry the regex finds ({@code re.search}; added tokens
 * count once they have a row; zeros when none or the regex is null); any other token is itself a
 * regex selecting existing entries to fine-tune. The updated ids are the union, sorted.
 *
 * <p>Limits: {@value #MAX_ENTRIES} entries, patterns of at most {@value #MAX_PATTERN_CHARS}
 * characters, at most {@value #MAX_SELECTED} selected ids; a bracketed token already in the
 * vocabulary is refused (the official code would silently train the last vocabulary row).
 *
 * @param encoder the text encoder with the new tokens and their initial rows
 * @param updateIds token ids whose rows are trained (ReToken indices), ascending
 * @param entries the entries as given (stored in the LoRA's metadata)
 */
public record TrainTokens(ClipTextEncoder encoder, long[] updateIds, List<TrainToken> entries) {
  public static final int MAX_ENTRIES = 16;
  public static final int MAX_PATTERN_CHARS = 256;
  public static final int MAX_SELECTED = 1024;

  /** Checks sizes and compiles every pattern; throws IllegalArgumentException naming the entry. */
  public static void validate(List<TrainToken> entries) {
    if (entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "train_tokens: at most " + MAX_ENTRIES + " entries, got " + entries.size());
    }
    for (TrainToken t : entries) {
      if (!t.isNew()) {
        compile(t.token());
      } else if (t.token().length() > MAX_PATTERN_CHARS || t.token().isBlank()) {
        throw new IllegalArgumentException("train_tokens: token too long or blank: " + t.token());
      }
      if (t.initRegex() != null) {
        compile(t.initRegex());
      }
    }
  }

  static Pattern compile(String regex) {
    if (regex.length() > MAX_PATTERN_CHARS) {
      throw new IllegalArgumentException(
          "train_tokens: pattern longer than " + MAX_PATTERN_CHARS + " characters");
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "train_tokens: '"
              + regex
              + "' is not a valid (RE2) regular expression: "
              + e.getDescription(),
          e);
    }
  }

  /** Resolves {@code entries} against {@code base}. */
  public static TrainTokens resolve(ClipTextEncoder base, List<TrainToken> entries) {
    validate(entries);
    ClipTokenizer tokenizer = base.tokenizer();
    Map<Integer, float[]> rows = new LinkedHashMap<>(base.tokenRows());
    TreeSet<Integer> update = new TreeSet<>();
    int width = base.config().width();
    for (TrainToken t : entries) {
      if (t.isNew()) {
        if (tokenizer.id(t.token()).isPresent()) {
          throw new IllegalArgumentException(
              "train_tokens: '" + t.token() + "' is already in the vocabulary; pick a new token");
        }
        tokenizer = tokenizer.withAddedTokens(List.of(t.token()));
        int id = tokenizer.id(t.token()).getAsInt();
        float[] row = new float[width];
        if (t.initRegex() != null) {
          Pattern p = compile(t.initRegex());
          double[] sum = new double[width];
          int n = 0;
          for (Map.Entry<String, Integer> e : tokenizer.vocabulary().entrySet()) {
            int v = e.getValue();
            boolean hasRow = v < tokenizer.baseVocabSize() || rows.containsKey(v);
            if (v == id || !hasRow || !p.matcher(e.getKey()).find()) {
              continue;
            }
            float[] r = rows.containsKey(v) ? rows.get(v) : base.tokenEmbedding(v);
            for (int k = 0; k < width; k++) {
              sum[k] += r[k];
            }
            n++;
          }
          for (int k = 0; k < width && n > 0; k++) {
            row[k] = (float) (sum[k] / n);
          }
        }
        rows.put(id, row);
        update.add(id);
      } else {
        Pattern p = compile(t.token());
        for (Map.Entry<String, Integer> e : tokenizer.vocabulary().entrySet()) {
          if (p.matcher(e.getKey()).find()) {
            update.add(e.getValue());
            if (update.size() > MAX_SELECTED) {
              throw new IllegalArgumentException(
                  "train_tokens: '"
                      + t.token()
                      + "' selects more than "
                      + MAX_SELECTED
                      + " vocabulary entries");
            }
          }
        }
      }
    }
    ClipTextEncoder encoder = rows.isEmpty() ? base : base.withTokens(tokenizer, rows);
    long[] ids = update.stream().mapToLong(Integer::longValue).toArray();
    return new TrainTokens(encoder, ids, List.copyOf(new ArrayList<>(entries)));
  }
}
