package io.cascadefarm.cascade.net.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code train_tokens} entry of an official LoRA training config, e.g. {@code ["[fernando]",
 * "^dog</w>"]}. A token written as {@code [...]} or {@code <...>} is <b>new</b>: it is added to the
 * tokenizer and its embedding row starts as the mean of the rows of all vocabulary entries matching
 * {@code initRegex} ({@code re.search} semantics; zeros when nothing matches or the regex is null).
 * Any other {@code token} is a regex selecting existing tokens that the LoRA fine-tuned in place.
 *
 * @param token new token text, or a selection regex
 * @param initRegex regex for the initial row of a new token (may be null)
 */
public record TrainToken(String token, String initRegex) {

  public TrainToken {
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("train token must not be empty");
    }
  }

  /** Whether this entry adds a new token (bracketed) rather than selecting existing ones. */
  public boolean isNew() {
    return (token.startsWith("[") && token.endsWith("]"))
        || (token.startsWith("<") && token.endsWith(">"));
  }

  /**
   * Parses the YAML/JSON form {@code [["[fernando]", "^dog</w>"], ["^snail", null]]} (as stored in
   * a LoRA file's {@code __metadata__} under {@code train_tokens}).
   */
  public static List<TrainToken> parseList(String json) {
    try {
      JsonNode root = new ObjectMapper().readTree(json);
      List<TrainToken> out = new ArrayList<>();
      for (JsonNode e : root) {
        if (!e.isArray() || e.size() < 1 || e.size() > 2) {
          throw new IllegalArgumentException("train_tokens entry must be [token, regex]: " + e);
        }
        JsonNode regex = e.size() > 1 ? e.get(1) : null;
        out.add(
            new TrainToken(
                e.get(0).asText(), regex == null || regex.isNull() ? null : regex.asText()));
      }
      return out;
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalArgumentException("train_tokens is not valid JSON: " + ex.getMessage(), ex);
    }
  }
}
