package io.cascadefarm.cascade.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * CLIP BPE tokenizer (equivalent to {@code CLIPTokenizerFast} of {@code
 * stabilityai/stable-cascade/tokenizer}, called with {@code truncation=True, padding="max_length",
 * max_length=77}). Immutable and thread-safe; {@link #withAddedTokens} and {@link #withPadToken}
 * return new instances.
 *
 * <p>Pipeline: NFC + whitespace collapse + lower-case; added/special tokens are cut out of the
 * normalized text; the rest is split by CLIP's regex, UTF-8 bytes are mapped to visible characters,
 * BPE with {@code </w>} runs per word; symbols missing from the vocabulary become the unknown token
 * ({@code <|endoftext|>}). The result is {@code BOS + first (contextLength-2) tokens + EOS}, padded
 * with the pad token (default {@code <|endoftext|>} = 49407, the tokenizer config of the CLIP
 * repo).
 */
public final class ClipTokenizer {
  public static final String START_OF_TEXT = "<|startoftext|>";
  public static final String END_OF_TEXT = "<|endoftext|>";
  public static final int DEFAULT_CONTEXT_LENGTH = 77;

  private final Map<String, Integer> baseVocab;
  private final Map<String, Integer> addedTokens;
  private final BytePairEncoder bpe;
  private final AddedTokenMatcher matcher;
  private final int contextLength;
  private final int bosId;
  private final int eosId;
  private final int padId;

  private ClipTokenizer(
      Map<String, Integer> baseVocab,
      Map<String, Integer> addedTokens,
      BytePairEncoder bpe,
      int contextLength,
      int padId) {
    this.baseVocab = baseVocab;
    this.addedTokens = addedTokens;
    this.bpe = bpe;
    this.contextLength = contextLength;
    this.bosId = requireToken(baseVocab, START_OF_TEXT);
    this.eosId = requireToken(baseVocab, END_OF_TEXT);
    this.padId = padId < 0 ? eosId : padId;
    this.matcher = new AddedTokenMatcher(normalizedAddedTokens());
  }

  /** Loads {@code vocab.json} and {@code merges.txt} from a HF {@code tokenizer/} folder. */
  public static ClipTokenizer load(Path tokenizerDir) throws IOException {
    return load(tokenizerDir.resolve("vocab.json"), tokenizerDir.resolve("merges.txt"));
  }

  /** Loads the two tokenizer files; context length 77, pad {@code <|endoftext|>}. */
  public static ClipTokenizer load(Path vocabJson, Path mergesTxt) throws IOException {
    return create(
        ClipTokenizerFiles.readVocab(vocabJson), ClipTokenizerFiles.readMerges(mergesTxt));
  }

  /**
   * Builds a tokenizer from an in-memory vocabulary and merge ranks (keys {@code "left right"}).
   */
  public static ClipTokenizer create(Map<String, Integer> vocab, Map<String, Integer> mergeRanks) {
    return new ClipTokenizer(
        Collections.unmodifiableMap(new LinkedHashMap<>(vocab)),
        Map.of(),
        new BytePairEncoder(mergeRanks),
        DEFAULT_CONTEXT_LENGTH,
        -1);
  }

  /**
   * A tokenizer that also knows {@code tokens} (e.g. {@code "[fernando]"}), as HF {@code
   * add_tokens}: each token not yet known gets the next id ({@link #vocabSize()} at that moment);
   * known tokens keep their id. Added tokens are matched case-insensitively (they are normalized
   * like the text) and take precedence over BPE.
   */
  public ClipTokenizer withAddedTokens(List<String> tokens) {
    Map<String, Integer> added = new LinkedHashMap<>(addedTokens);
    for (String token : tokens) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("added token must be non-blank, got '" + token + "'");
      }
      if (!baseVocab.containsKey(token) && !added.containsKey(token)) {
        added.put(token, baseVocab.size() + added.size());
      }
    }
    return new ClipTokenizer(
        baseVocab, Collections.unmodifiableMap(added), bpe, contextLength, padId);
  }

  /** Same tokenizer padding with {@code padToken} (e.g. {@code "!"} = id 0 as SDXL does). */
  public ClipTokenizer withPadToken(String padToken) {
    int id = id(padToken).orElseThrow(() -> unknownToken(padToken));
    return new ClipTokenizer(baseVocab, addedTokens, bpe, contextLength, id);
  }

  /** Tokenizes, truncates and pads one prompt to {@link #contextLength()} ids. */
  public TokenizedPrompt encode(String prompt) {
    List<Integer> tokens = tokenize(prompt);
    int room = contextLength - 2;
    boolean truncated = tokens.size() > room;
    int n = Math.min(tokens.size(), room);
    int[] ids = new int[contextLength];
    int[] mask = new int[contextLength];
    ids[0] = bosId;
    for (int i = 0; i < n; i++) {
      ids[i + 1] = tokens.get(i);
    }
    ids[n + 1] = eosId;
    for (int i = n + 2; i < contextLength; i++) {
      ids[i] = padId;
    }
    for (int i = 0; i <= n + 1; i++) {
      mask[i] = 1;
    }
    return new TokenizedPrompt(ids, mask, n + 1, truncated);
  }

  /** {@link #encode} for each prompt, in order. */
  public List<TokenizedPrompt> encodeAll(List<String> prompts) {
    List<TokenizedPrompt> out = new ArrayList<>(prompts.size());
    for (String p : prompts) {
      out.add(encode(p));
    }
    return out;
  }

  /** Token ids of a text without BOS/EOS, truncation or padding. */
  public List<Integer> tokenize(String text) {
    List<Integer> ids = new ArrayList<>();
    for (String symbol : symbols(text)) {
      ids.add(idOrUnknown(symbol));
    }
    return ids;
  }

  /** Vocabulary strings the text is split into (added tokens as written when added). */
  public List<String> symbols(String text) {
    List<String> out = new ArrayList<>();
    String normalized = ClipNormalizer.normalize(text == null ? "" : text);
    for (AddedTokenMatcher.Piece piece : matcher.split(normalized)) {
      if (piece.isAdded()) {
        out.add(tokenOf(piece.addedId()));
        continue;
      }
      for (String word : ClipPreTokenizer.words(piece.text())) {
        out.addAll(bpe.encodeWord(ByteLevelAlphabet.encode(word)));
      }
    }
    return out;
  }

  /** Id of a vocabulary or added token. */
  public OptionalInt id(String token) {
    Integer id = addedTokens.get(token);
    if (id == null) {
      id = baseVocab.get(token);
    }
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** Base vocabulary followed by added tokens (token to id), e.g. for LoRA regex selection. */
  public Map<String, Integer> vocabulary() {
    Map<String, Integer> all = new LinkedHashMap<>(baseVocab);
    all.putAll(addedTokens);
    return Collections.unmodifiableMap(all);
  }

  /** Tokens added on top of {@code vocab.json}, in id order. */
  public Map<String, Integer> addedTokens() {
    return addedTokens;
  }

  /** Number of ids (base vocabulary plus added tokens). */
  public int vocabSize() {
    return baseVocab.size() + addedTokens.size();
  }

  /** Size of {@code vocab.json} alone (49408 for CLIP). */
  public int baseVocabSize() {
    return baseVocab.size();
  }

  public int contextLength() {
    return contextLength;
  }

  public int bosId() {
    return bosId;
  }

  public int eosId() {
    return eosId;
  }

  public int padId() {
    return padId;
  }

  private Map<String, Integer> normalizedAddedTokens() {
    Map<String, Integer> normalized = new LinkedHashMap<>();
    normalized.put(START_OF_TEXT, bosId);
    normalized.put(END_OF_TEXT, eosId);
    addedTokens.forEach((token, id) -> normalized.put(ClipNormalizer.normalize(token), id));
    return normalized;
  }

  private String tokenOf(int addedId) {
    if (addedId == bosId) {
      return START_OF_TEXT;
    }
    if (addedId == eosId) {
      return END_OF_TEXT;
    }
    return addedTokens.entrySet().stream()
        .filter(e -> e.getValue() == addedId)
        .findFirst()
        .orElseThrow()
        .getKey();
  }

  private int idOrUnknown(String symbol) {
    return id(symbol).orElse(eosId);
  }

  private static int requireToken(Map<String, Integer> vocab, String token) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw unknownToken(token);
    }
    return id;
  }

  private static IllegalArgumentException unknownToken(String token) {
    return new IllegalArgumentException("tokenizer vocabulary has no token '" + token + "'");
  }
}
