package io.cascadefarm.cascade.net.lora;

import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed LoRA safetensors file (all tensors are small and read into memory). Official layout:
 * pairs in {@code weights.<k>} order; PEFT layout: pairs keyed by their diffusers module name.
 */
public final class LoraFile {
  private static final Pattern OFFICIAL = Pattern.compile("weights\\.(\\d+)\\.lora_(down|up)");
  private static final Pattern PEFT =
      Pattern.compile(
          "(?:.*\\.)?((?:down|up)_blocks\\.\\d+\\.\\d+\\.attention\\."
              + "(?:to_q|to_k|to_v|to_out\\.0))\\.(lora_A|lora_B|lora_down|lora_up)\\.weight");

  private final Path path;
  private final LoraLayout layout;
  private final List<LoraPair> pairs;
  private final TokenDeltas tokens;
  private final Map<String, String> metadata;

  private LoraFile(
      SafetensorsReader r, LoraLayout layout, List<LoraPair> pairs, TokenDeltas tokens) {
    this.path = r.path();
    this.layout = layout;
    this.pairs = List.copyOf(pairs);
    this.tokens = tokens;
    this.metadata = Map.copyOf(r.metadata());
  }

  /** Reads and validates a LoRA file; the layout is detected from its keys. */
  public static LoraFile read(Path path) throws IOException {
    try (SafetensorsReader r = SafetensorsReader.open(path)) {
      Map<String, TensorInfo> t = r.tensors();
      if (t.containsKey("embeddings.indices")
          || t.keySet().stream().anyMatch(k -> OFFICIAL.matcher(k).matches())) {
        return new LoraFile(r, LoraLayout.OFFICIAL, officialPairs(r), tokenDeltas(r));
      }
      if (t.keySet().stream().anyMatch(k -> PEFT.matcher(k).matches())) {
        return new LoraFile(r, LoraLayout.PEFT, peftPairs(r), TokenDeltas.NONE);
      }
      throw new IllegalArgumentException(
          path
              + ": no LoRA keys found (expected 'weights.<k>.lora_down/up' or diffusers "
              + "'<block>.attention.to_q.lora_A.weight'); first keys: "
              + t.keySet().stream().limit(5).toList());
    }
  }

  public Path path() {
    return path;
  }

  public LoraLayout layout() {
    return layout;
  }

  /** Low-rank pairs (official: in {@code weights.<k>} order). */
  public List<LoraPair> pairs() {
    return pairs;
  }

  /** The file's {@code __metadata__} (e.g. {@code train_tokens}). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** ReToken deltas (empty when the file has none). */
  public TokenDeltas tokens() {
    return tokens;
  }

  private static List<LoraPair> officialPairs(SafetensorsReader r) {
    Map<Integer, String> stems = new TreeMap<>();
    for (String key : r.tensors().keySet()) {
      Matcher m = OFFICIAL.matcher(key);
      if (m.matches()) {
        stems.put(Integer.parseInt(m.group(1)), "weights." + m.group(1));
      } else if (!key.startsWith("embeddings.")) {
        throw new IllegalArgumentException(r.path() + ": unexpected key '" + key + "'");
      }
    }
    List<LoraPair> out = new ArrayList<>();
    int expected = 0;
    for (Map.Entry<Integer, String> e : stems.entrySet()) {
      if (e.getKey() != expected++) {
        throw new IllegalArgumentException(
            r.path()
                + ": missing 'weights."
                + (expected - 1)
                + ".*' (indices must run 0.."
                + (stems.size() - 1)
                + ")");
      }
      out.add(pair(r, e.getValue(), e.getValue() + ".lora_down", e.getValue() + ".lora_up", 1f));
    }
    return out;
  }

  private static List<LoraPair> peftPairs(SafetensorsReader r) {
    Map<String, String[]> stems = new TreeMap<>();
    for (String key : r.tensors().keySet()) {
      Matcher m = PEFT.matcher(key);
      if (m.matches()) {
        String[] kv = stems.computeIfAbsent(m.group(1), k -> new String[3]);
        boolean isDown = m.group(2).equals("lora_A") || m.group(2).equals("lora_down");
        kv[isDown ? 0 : 1] = key;
        kv[2] = key.substring(0, key.lastIndexOf('.', key.lastIndexOf('.') - 1)) + ".alpha";
      }
    }
    List<LoraPair> out = new ArrayList<>();
    for (Map.Entry<String, String[]> e : stems.entrySet()) {
      String[] kv = e.getValue();
      if (kv[0] == null || kv[1] == null) {
        throw new IllegalArgumentException(
            r.path() + ": '" + e.getKey() + "' needs both a down (A) and an up (B) matrix");
      }
      Float alpha = r.contains(kv[2]) ? r.readFloats(kv[2])[0] : null;
      out.add(pair(r, e.getKey(), kv[0], kv[1], alpha));
    }
    return out;
  }

  /** {@code alpha} null means "no alpha stored" (scale 1); the official layout passes 1. */
  private static LoraPair pair(
      SafetensorsReader r, String name, String downKey, String upKey, Float alpha) {
    long[] ds = r.info(downKey).shape();
    long[] us = r.info(upKey).shape();
    if (ds.length != 2 || us.length != 2 || ds[0] != us[1]) {
      throw new IllegalArgumentException(
          r.path()
              + ": '"
              + name
              + "' has down "
              + TensorInfo.shapeText(ds)
              + " and up "
              + TensorInfo.shapeText(us)
              + "; expected (r, in) and (out, r)");
    }
    int rank = Math.toIntExact(ds[0]);
    float scale =
        alpha == null && downKey.startsWith("weights.")
            ? 1f / rank
            : alpha == null ? 1f : alpha / rank;
    return new LoraPair(
        name,
        r.readFloats(downKey),
        r.readFloats(upKey),
        rank,
        Math.toIntExact(ds[1]),
        Math.toIntExact(us[0]),
        scale);
  }

  private static TokenDeltas tokenDeltas(SafetensorsReader r) {
    boolean hasRows = r.contains("embeddings.embeddings");
    boolean hasIds = r.contains("embeddings.indices");
    if (!hasRows && !hasIds) {
      return TokenDeltas.NONE;
    }
    if (hasRows != hasIds) {
      throw new IllegalArgumentException(
          r.path() + ": 'embeddings.embeddings' and 'embeddings.indices' must come together");
    }
    long[] shape = r.info("embeddings.embeddings").shape();
    long[] ids = r.readLongs("embeddings.indices");
    if (shape.length != 2 || shape[0] != ids.length) {
      throw new IllegalArgumentException(
          r.path()
              + ": 'embeddings.embeddings' "
              + TensorInfo.shapeText(shape)
              + " does not have one row per index ("
              + ids.length
              + ")");
    }
    float[] flat = r.readFloats("embeddings.embeddings");
    int width = Math.toIntExact(shape[1]);
    float[][] rows = new float[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      rows[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
    }
    return new TokenDeltas(ids, rows, width);
  }

  @Override
  public String toString() {
    return "LoraFile["
        + path
        + ", "
        + layout
        + ", "
        + pairs.size()
        + " pairs, "
        + tokens.indices().length
        + " token rows]";
  }
}
