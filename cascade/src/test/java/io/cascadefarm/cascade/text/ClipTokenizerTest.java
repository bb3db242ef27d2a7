package io.cascadefarm.cascade.text;

import static io.cascadefarm.cascade.text.TestTokenizers.BOS;
import static io.cascadefarm.cascade.text.TestTokenizers.EOS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected ids are derived by hand from the resource files: a byte symbol's id is its position in
 * the byte table ('!'..'~' = 0..93, so 'a' = 64), its {@code </w>} form is +256, merge k is 512+k.
 */
class ClipTokenizerTest {
  private final ClipTokenizer tok = TestTokenizers.small();

  @Test
  void specialTokenIds() {
    assertEquals(BOS, tok.bosId());
    assertEquals(EOS, tok.eosId());
    assertEquals(
        EOS,
        tok.padId(),
        "Stable Cascade pads with <|endoftext|> (official train/base.py get_conditions: padding=\"max_length\")");
    assertEquals(529, tok.vocabSize());
  }

  @Test
  void mergesFollowRankOrder() {
    // hello: (h,e)=0 -> (l,l)=1 beats (l,o</w>)=2 -> (he,ll)=3 -> (hell,o</w>)=4
    assertEquals(List.of("hello</w>", "world</w>"), tok.symbols("Hello   WORLD"));
    assertEquals(List.of(516, 520), tok.tokenize("Hello   WORLD"));
  }

  @Test
  void lowestRankPairIsMergedFirstInsideAWord() {
    // café: (Ã,©</w>)=11 before (c,a)=12, then (f,Ã©</w>)=13
    assertEquals(List.of("ca", "fÃ©</w>"), tok.symbols("Café"));
    assertEquals(List.of(524, 525), tok.tokenize("Café"));
  }

  @Test
  void regexSplitsContractionsDigitsAndPunctuation() {
    assertEquals(List.of(522, 526), tok.tokenize("dog's"));
    assertEquals(List.of(320, 522, 0, 256), tok.tokenize("A  dog!!"));
    assertEquals(List.of(275, 273), tok.tokenize("42"));
  }

  @Test
  void contractionsAreMatchedCaseSensitivelyAfterLowerCasing() {
    // "'S" is lower-cased to "'s" first; LATIN SMALL LETTER LONG S (U+017F) case-folds to "s" but
    // is no "s", so "'\u017f" is an apostrophe word and a letter word, as in CLIPTokenizerFast
    assertEquals(List.of(522, 526), tok.tokenize("DOG'S"));
    assertEquals(List.of("'</w>", "\u00c5", "\u00bf</w>"), tok.symbols("'\u017f"));
  }

  @Test
  void textIsNfcNormalizedBeforeBpe() {
    // "e" + COMBINING ACUTE composes to U+00E9, so both spellings give the same tokens
    assertEquals(tok.tokenize("Café"), tok.tokenize("Cafe\u0301"));
    assertEquals(List.of(516, 520), tok.tokenize("\u00a0hello\n\tworld  "));
  }

  @Test
  void lowerCasingIsPerCharacterAsInTheFastTokenizer() {
    // Rust tokenizers' Lowercase maps each char alone: a word-final capital sigma becomes sigma,
    // not the final form (String.toLowerCase gives "σας"); a literal final sigma stays as it is
    assertEquals(tok.symbols("\u03c3\u03b1\u03c3"), tok.symbols("\u03a3\u0391\u03a3"));
    assertEquals(tok.symbols("\u03bf\u03c3 \u03c3"), tok.symbols("\u039f\u03a3 \u03a3"));
    assertNotEquals(tok.symbols("\u03c3"), tok.symbols("\u03c2"));
    // unconditional full mapping: dotted capital I becomes i + combining dot above
    assertEquals(tok.symbols("i\u0307stanbul"), tok.symbols("\u0130stanbul"));
  }

  @Test
  void unicodeIsEncodedAsUtf8Bytes() {
    // U+1F600 = F0 9F 98 80 -> table positions 172, 253, 246 and 222 (+256 for </w>)
    assertEquals(List.of(172, 253, 246, 478), tok.tokenize("😀"));
  }

  @Test
  void promptIsWrappedAndPaddedTo77() {
    TokenizedPrompt p = tok.encode("hello world");
    assertEquals(77, p.ids().length);
    assertArrayEquals(new int[] {BOS, 516, 520, EOS, EOS}, Arrays.copyOf(p.ids(), 5));
    assertEquals(3, p.eosIndex());
    assertArrayEquals(new int[] {1, 1, 1, 1, 0}, Arrays.copyOf(p.attentionMask(), 5));
    assertEquals(4, Arrays.stream(p.attentionMask()).sum());
    assertFalse(p.truncated());
  }

  @Test
  void emptyPromptIsBosEosAndPadding() {
    TokenizedPrompt p = tok.encode("");
    assertEquals(BOS, p.ids()[0]);
    assertEquals(1, p.eosIndex());
    assertTrue(Arrays.stream(p.ids()).skip(1).allMatch(id -> id == EOS));
    assertEquals(2, Arrays.stream(p.attentionMask()).sum());
    assertEquals(p, tok.encode("   \n\t "));
  }

  @Test
  void longPromptKeeps75TokensAndTheEos() {
    TokenizedPrompt p = tok.encode("dog ".repeat(100));
    assertTrue(p.truncated());
    assertEquals(76, p.eosIndex());
    assertEquals(EOS, p.ids()[76]);
    assertTrue(Arrays.stream(p.ids(), 1, 76).allMatch(id -> id == 522));
    assertEquals(77, Arrays.stream(p.attentionMask()).sum());
  }

  @Test
  void exactly75TokensIsNotTruncated() {
    TokenizedPrompt p = tok.encode("dog ".repeat(75));
    assertFalse(p.truncated());
    assertEquals(76, p.eosIndex());
  }

  @Test
  void literalSpecialTokensAreRecognised() {
    assertEquals(List.of(522, EOS, 522), tok.tokenize("dog<|endoftext|>dog"));
  }

  @Test
  void unknownSymbolsMapToTheUnknownToken() {
    ClipTokenizer tiny =
        ClipTokenizer.create(
            java.util.Map.of("<|startoftext|>", 0, "<|endoftext|>", 1, "a</w>", 2),
            java.util.Map.of());
    assertEquals(List.of(2, 1), tiny.tokenize("a b"));
  }

  @Test
  void customPadToken() {
    ClipTokenizer bang = tok.withPadToken("!");
    assertEquals(0, bang.padId());
    assertEquals(0, bang.encode("dog").ids()[5]);
    assertThrows(IllegalArgumentException.class, () -> tok.withPadToken("no-such-token"));
  }
}
