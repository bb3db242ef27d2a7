package io.cascadefarm.cascade.pipeline;

import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.net.lora.TrainToken;
import io.cascadefarm.cascade.text.ClipTokenizer;
import io.cascadefarm.codec.lora.TrainTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code train_tokens} of a batch's LoRA files as untrusted data ({@link TrainTokens}:
 * bounded count and length, RE2/J syntax) and evaluates every regex with RE2/J, whose time is
 * linear, over the vocabulary the text encoder will have (the base vocabulary plus every new token
 * of the batch's LoRAs). Each regex is then handed to the LoRA token code as the exact set of
 * entries it matched ({@link TrainTokens#exactAlternation}, a trie that {@code java.util.regex}
 * matches in linear time), so the official semantics ({@code re.search} over the vocabulary) are
 * kept and no untrusted regex ever reaches a backtracking engine. Results are cached per list of
 * files (worker LoRA files are named by their SHA-256, so a path stands for its content).
 */
final class LoraTrainTokens {
  private static final int CACHE = 32;
  private static final Map<List<Path>, List<List<TrainToken>>> CACHED =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Path>, List<List<TrainToken>>> e) {
          return size() > CACHE;
        }
      };

  private LoraTrainTokens() {}

  /** The safe train tokens of each file, in order (an empty list for a file without any). */
  static List<List<TrainToken>> of(ClipTokenizer base, List<Path> files) {
    synchronized (CACHED) {
      List<List<TrainToken>> hit = CACHED.get(files);
      if (hit != null) {
        return hit;
      }
    }
    List<List<TrainTokens.Entry>> parsed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    for (Path f : files) {
      List<TrainTokens.Entry> entries = read(f);
      parsed.add(entries);
      entries.stream().filter(TrainTokens.Entry::isNew).forEach(e -> added.add(e.token()));
    }
    Collection<String> vocabulary =
        (added.isEmpty() ? base : base.withAddedTokens(added)).vocabulary().keySet();
    List<List<TrainToken>> out = new ArrayList<>();
    for (List<TrainTokens.Entry> entries : parsed) {
      List<TrainToken> safe = new ArrayList<>();
      for (TrainTokens.Entry e : entries) {
        if (!e.isNew()) {
          // selects existing tokens; the LoRA token code does not evaluate it: keep it as data
          safe.add(new TrainToken(e.token(), null));
          continue;
        }
        String regex = null;
        if (e.regex() != null) {
          Set<String> matched = TrainTokens.matching(e.regex(), vocabulary);
          regex = TrainTokens.exactAlternation(matched);
        }
        safe.add(new TrainToken(e.token(), regex));
      }
      out.add(List.copyOf(safe));
    }
    List<List<TrainToken>> result = List.copyOf(out);
    synchronized (CACHED) {
      CACHED.put(List.copyOf(files), result);
    }
    return result;
  }

  private static List<TrainTokens.Entry> read(Path file) {
    String meta;
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      meta = r.metadata().get("train_tokens");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read LoRA " + file, e);
    }
    if (meta == null) {
      return List.of();
    }
    try {
      return TrainTokens.parse(meta);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("loras: " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }
}
