package io.cascadefarm.cascade.text;

import static io.cascadefarm.cascade.text.TestTokenizers.BOS;
import static io.cascadefarm.cascade.text.TestTokenizers.EOS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** New tokens for LoRAs: matched before BPE, ids from the vocabulary size on. */
class AddedTokensTest {
  private final ClipTokenizer base = TestTokenizers.small();
  private final ClipTokenizer tok = base.withAddedTokens(List.of("[fernando]"));

  @Test
  void withoutTheTokenTheTextIsByteLevelBpe() {
    // [ f e r n a n d o</w> ]  -> "[" and "]" are their own regex words
    assertEquals(List.of(314, 69, 68, 81, 77, 64, 77, 67, 334, 316), base.tokenize("[fernando]"));
  }

  @Test
  void addedTokenGetsNextIdAndIsMatchedFirst() {
    assertEquals(529, tok.id("[fernando]").getAsInt());
    assertEquals(530, tok.vocabSize());
    assertEquals(529, base.vocabSize(), "the original tokenizer is unchanged");
    int[] ids = Arrays.copyOf(tok.encode("a [Fernando] dog").ids(), 5);
    assertArrayEquals(new int[] {BOS, 320, 529, 522, EOS}, ids);
    assertEquals(List.of(529, 522), tok.tokenize("[fernando]dog"));
  }

  @Test
  void addingTwiceOrAKnownTokenKeepsIds() {
    ClipTokenizer again = tok.withAddedTokens(List.of("[fernando]", "dog</w>", "<snail>"));
    assertEquals(529, again.id("[fernando]").getAsInt());
    assertEquals(522, again.id("dog</w>").getAsInt());
    assertEquals(530, again.id("<snail>").getAsInt());
    assertEquals(List.of(529, 530), again.tokenize("[fernando] <snail>"));
    assertEquals(530, again.vocabulary().get("<snail>"));
  }

  @Test
  void blankTokensAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> base.withAddedTokens(List.of(" ")));
  }
}
