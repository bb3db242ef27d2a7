package io.cascadefarm.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.codec.hostile.HostileFiles;
import io.cascadefarm.codec.lora.LoraFileCheck;
import io.cascadefarm.codec.lora.TrainTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LoraRulesTest {
  @Test
  void officialTrainTokensKeepTheirMeaning() {
    List<TrainTokens.Entry> e =
        TrainTokens.parse("[[\"[fernando]\", \"^dog</w>\"], [\"^snail\", null]]");
    assertEquals(2, e.size());
    assertTrue(e.get(0).isNew());
    assertEquals("^dog</w>", e.get(0).regex());
    List<String> vocab = List.of("dog</w>", "dogs</w>", "hotdog</w>", "cat</w>");
    assertEquals(Set.of("dog</w>"), TrainTokens.matching("^dog</w>", vocab));
    assertEquals(Set.of("dog</w>", "hotdog</w>"), TrainTokens.matching("dog</w>", vocab));
  }

  @Test
  void catastrophicRegexesRunInLinearTime() {
    List<String> vocab = new ArrayList<>();
    for (int i = 0; i < 49_408; i++) {
      vocab.add("tok" + i + "</w>");
    }
    vocab.add("[" + "a".repeat(40) + "]");
    Set<String> m =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20), () -> TrainTokens.matching("(.*a){12}b", vocab));
    assertTrue(m.isEmpty());
    assertEquals(
        Set.of("[" + "a".repeat(40) + "]"),
        TrainTokens.matching("^\\[(a|aa)+\\]$", vocab),
        "RE2/J finds what java.util.regex would");
  }

  @Test
  void theExactAlternationMatchesExactlyItsKeysInJavaRegex() {
    List<String> vocab = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      vocab.add("w" + Integer.toString(i * 7919, 36) + (i % 3 == 0 ? "</w>" : ""));
    }
    vocab.add("ünï.*+?[]{}()^$|\\ 😀");
    vocab.add("w");
    Set<String> keys = TrainTokens.matching("w[0-9a-c]", vocab);
    keys.add("ünï.*+?[]{}()^$|\\ 😀");
    keys.add("w");
    Pattern p = Pattern.compile(TrainTokens.exactAlternation(keys));
    for (String v : vocab) {
      assertEquals(keys.contains(v), p.matcher(v).find(), v);
    }
    assertTrue(!p.matcher("w" + "a".repeat(50)).find());
    assertNull(TrainTokens.exactAlternation(Set.of()));
  }

  @Test
  void trainTokensAreBounded() {
    assertThrows(IllegalArgumentException.class, () -> TrainTokens.parse("{\"a\":1}"));
    assertThrows(IllegalArgumentException.class, () -> TrainTokens.parse("[[\"[x]\", \"(?=a)\"]]"));
    assertThrows(
        IllegalArgumentException.class,
        () -> TrainTokens.parse("[[\"[x]\", \"" + "a".repeat(300) + "\"]]"));
    assertThrows(
        IllegalArgumentException.class,
        () -> TrainTokens.parse("[[\"[x]\", \"((a{100}){100})\"]]"));
    assertThrows(
        IllegalArgumentException.class, () -> TrainTokens.parse("[[\"[x]\", \"a{1000}\"]]"));
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 65; i++) {
      many.append(i == 0 ? "" : ",").append("[\"[t").append(i).append("]\", null]");
    }
    assertThrows(
        IllegalArgumentException.class, () -> TrainTokens.parse(many.append("]").toString()));
  }

  @Test
  void loraFilesAreCheckedWithTheReadersRules() {
    assertEquals(2, LoraFileCheck.validate(HostileFiles.lora(null)));
    IllegalArgumentException i8 =
        assertThrows(
            IllegalArgumentException.class, () -> LoraFileCheck.validate(HostileFiles.loraI8()));
    assertTrue(i8.getMessage().contains("I8"), i8.getMessage());
    IllegalArgumentException big =
        assertThrows(
            IllegalArgumentException.class,
            () -> LoraFileCheck.validate(HostileFiles.loraOverflow()));
    assertTrue(big.getMessage().contains("too large"), big.getMessage());
    // the regex bomb is a valid LoRA: its regexes compile with RE2/J; it is harmless when run there
    assertEquals(2, LoraFileCheck.validate(HostileFiles.loraRegexBomb()));
    IllegalArgumentException look =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LoraFileCheck.validate(
                    HostileFiles.lora("{\"train_tokens\":\"[[\\\"[x]\\\", \\\"a(?!b)\\\"]]\"}")));
    assertTrue(look.getMessage().contains("train_tokens[0] regex"), look.getMessage());
  }
}
