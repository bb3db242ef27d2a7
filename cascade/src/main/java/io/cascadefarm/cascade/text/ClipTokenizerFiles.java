package io.cascadefarm.cascade.text;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code vocab.json} (token to id) and {@code merges.txt} (one merge per line, by rank). */
final class ClipTokenizerFiles {
  private ClipTokenizerFiles() {}

  static Map<String, Integer> readVocab(Path vocabJson) throws IOException {
    Map<String, Integer> vocab =
        new ObjectMapper()
            .readValue(vocabJson.toFile(), new TypeReference<LinkedHashMap<String, Integer>>() {});
    if (vocab.isEmpty()) {
      throw new IllegalArgumentException(vocabJson + ": vocabulary is empty");
    }
    return vocab;
  }

  /** Merge ranks keyed {@code "left right"}; a leading {@code #version} line is skipped. */
  static Map<String, Integer> readMerges(Path mergesTxt) throws IOException {
    List<String> lines = Files.readAllLines(mergesTxt, StandardCharsets.UTF_8);
    Map<String, Integer> ranks = new HashMap<>();
    int lineNo = 0;
    for (String line : lines) {
      lineNo++;
      if ((lineNo == 1 && line.startsWith("#version")) || line.isBlank()) {
        continue;
      }
      String[] parts = line.strip().split(" ");
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            mergesTxt + ":" + lineNo + ": a merge must be two symbols separated by one space");
      }
      ranks.putIfAbsent(parts[0] + " " + parts[1], ranks.size());
    }
    return ranks;
  }
}
