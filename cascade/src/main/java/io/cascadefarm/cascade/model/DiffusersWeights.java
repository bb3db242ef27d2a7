package io.cascadefarm.cascade.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A component of a diffusers checkpoint ({@code prior/}, {@code prior_lite/}, {@code decoder/},
 * {@code decoder_lite/}, {@code vqgan/}) presented under the official key names, so that the
 * official networks bind to it unchanged. The key-mapping table is diffusers' own conversion
 * ({@code scripts/convert_stable_cascade.py}, {@code StableCascadeUNet}, {@code PaellaVQModel})
 * read backwards:
 *
 * <table>
 *   <caption>official key = diffusers key(s)</caption>
 *   <tr><th>component</th><th>official ({@code StageC}, {@code StageB}, {@code StageA})</th>
 *       <th>diffusers</th></tr>
 *   <tr><td>prior, decoder</td><td>{@code <p>attn.in_proj_weight} [3c, c]</td>
 *       <td>{@code <p>to_q.weight}, {@code <p>to_k.weight}, {@code <p>to_v.weight} [c, c],
 *       concatenated on dim 0 ({@code chunk(3, 0)} backwards)</td></tr>
 *   <tr><td>prior, decoder</td><td>{@code <p>attn.in_proj_bias} [3c]</td>
 *       <td>{@code <p>to_q.bias}, {@code <p>to_k.bias}, {@code <p>to_v.bias}</td></tr>
 *   <tr><td>prior, decoder</td><td>{@code <p>attn.out_proj.weight|bias}</td>
 *       <td>{@code <p>to_out.0.weight|bias}</td></tr>
 *   <tr><td>decoder</td><td>{@code clip_mapper.weight|bias}</td>
 *       <td>{@code clip_txt_pooled_mapper.weight|bias}</td></tr>
 *   <tr><td>vqgan</td><td>{@code vquantizer.codebook.weight}</td>
 *       <td>{@code vquantizer.embedding.weight} (diffusers' {@code VectorQuantizer})</td></tr>
 *   <tr><td>all</td><td>every other key</td><td>the same key</td></tr>
 * </table>
 *
 * <p>The weights are {@code diffusion_pytorch_model[.bf16].safetensors} or shards listed by {@code
 * diffusion_pytorch_model[.bf16].safetensors.index.json} ({@code weight_map}); the bf16 variant is
 * preferred when both exist, as for the official files. The CLIP encoders ({@code text_encoder/},
 * {@code image_encoder/}) are transformers checkpoints in both layouts and need no mapping.
 */
public final class DiffusersWeights implements WeightSource {
  /** Which diffusers component, for the parts of the table that differ. */
  public enum Component {
    PRIOR,
    DECODER,
    VQGAN
  }

  static final String FILE = "diffusion_pytorch_model";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, SafetensorsWeights> byKey = new LinkedHashMap<>();
  private final List<SafetensorsWeights> shards = new ArrayList<>();
  private final Map<String, List<String>> official = new LinkedHashMap<>();
  private final Map<String, long[]> shapes = new LinkedHashMap<>();

  private DiffusersWeights(Path dir, Component component) throws IOException {
    Path index = indexFile(dir);
    if (index != null) {
      JsonNode map = JSON.readTree(index.toFile()).path("weight_map");
      Map<String, SafetensorsWeights> files = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = map.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String file = e.getValue().asText();
        if (file.contains("/") || file.contains("\\") || file.startsWith(".")) {
          throw new IOException(index + ": shard name " + file + " leaves the directory");
        }
        SafetensorsWeights w = files.get(file);
        if (w == null) {
          w = SafetensorsWeights.open(dir.resolve(file));
          files.put(file, w);
          shards.add(w);
        }
        byKey.put(e.getKey(), w);
      }
    } else {
      Path file = weightsFile(dir);
      if (file == null) {
        throw new IOException("no " + FILE + "[.bf16].safetensors in " + dir);
      }
      SafetensorsWeights w = SafetensorsWeights.open(file);
      shards.add(w);
      w.shapes().keySet().forEach(k -> byKey.put(k, w));
    }
    map(component);
  }

  /** Opens the diffusers component in {@code dir}. */
  public static DiffusersWeights open(Path dir, Component component) throws IOException {
    return new DiffusersWeights(dir, component);
  }

  /** Whether {@code dir} holds diffusers weights (a single file or an index of shards). */
  public static boolean present(Path dir) {
    return indexFile(dir) != null || weightsFile(dir) != null;
  }

  private static Path indexFile(Path dir) {
    for (String name :
        List.of(FILE + ".bf16.safetensors.index.json", FILE + ".safetensors.index.json")) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return dir.resolve(name);
      }
    }
    return null;
  }

  private static Path weightsFile(Path dir) {
    for (String name : List.of(FILE + ".bf16.safetensors", FILE + ".safetensors")) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return dir.resolve(name);
      }
    }
    return null;
  }

  /**
   * The official key of a diffusers key and, for the attention projections, its partners: the table
   * of the class comment read backwards. Keys that are not the first of a group map to null.
   */
  static List<String> officialOf(String key, Component component, java.util.Set<String> all) {
    if (component == Component.VQGAN) {
      return key.equals("vquantizer.embedding.weight")
          ? List.of("vquantizer.codebook.weight", key)
          : List.of(key, key);
    }
    for (String kind : List.of("weight", "bias")) {
      String q = "to_q." + kind;
      if (key.endsWith(q)) {
        String p = key.substring(0, key.length() - q.length());
        String k = p + "to_k." + kind;
        String v = p + "to_v." + kind;
        if (!all.contains(k) || !all.contains(v)) {
          throw new IllegalArgumentException(key + " has no " + k + " / " + v);
        }
        return List.of(p + "attn.in_proj_" + kind, key, k, v);
      }
      if (key.endsWith("to_k." + kind) || key.endsWith("to_v." + kind)) {
        return null; // part of the to_q group
      }
      String out = "to_out.0." + kind;
      if (key.endsWith(out)) {
        return List.of(
            key.substring(0, key.length() - out.length()) + "attn.out_proj." + kind, key);
      }
      String pooled = "clip_txt_pooled_mapper." + kind;
      if (component == Component.DECODER && key.endsWith(pooled)) {
        return List.of(
            key.substring(0, key.length() - pooled.length()) + "clip_mapper." + kind, key);
      }
    }
    return List.of(key, key);
  }

  private void map(Component component) {
    java.util.Set<String> all = byKey.keySet();
    for (String key : all) {
      List<String> m = officialOf(key, component, all);
      if (m == null) {
        continue;
      }
      List<String> parts = m.subList(1, m.size());
      long[] shape = byKey.get(parts.get(0)).shapes().get(parts.get(0)).clone();
      if (parts.size() == 3) {
        for (String p : parts.subList(1, 3)) {
          long[] s = byKey.get(p).shapes().get(p);
          if (!java.util.Arrays.equals(s, shape)) {
            throw new IllegalArgumentException(
                key + " and " + p + " differ in shape; they cannot be one in_proj");
          }
        }
        shape[0] *= 3;
      }
      if (official.put(m.get(0), parts) != null) {
        throw new IllegalArgumentException("two diffusers keys map to " + m.get(0));
      }
      shapes.put(m.get(0), shape);
    }
  }

  @Override
  public Map<String, long[]> shapes() {
    return shapes;
  }

  @Override
  public NDArray load(String key, NDManager manager) {
    List<String> parts = official.get(key);
    if (parts == null) {
      throw new IllegalArgumentException("no diffusers weight for " + key);
    }
    if (parts.size() == 1) {
      return byKey.get(parts.get(0)).load(parts.get(0), manager);
    }
    NDList pieces = new NDList();
    for (String p : parts) {
      pieces.add(byKey.get(p).load(p, manager));
    }
    NDArray joined = NDArrays.concat(pieces, 0);
    pieces.close();
    return joined;
  }

  /** {@code scale_factor} of a diffusers {@code vqgan/config.json}, or null when absent. */
  public static Float vqganScaleFactor(Path vqganDir) {
    Path config = vqganDir.resolve("config.json");
    if (!Files.isRegularFile(config)) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(config.toFile()).get("scale_factor");
      return n == null || !n.isNumber() ? null : (float) n.asDouble();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    for (SafetensorsWeights s : shards) {
      s.close();
    }
  }
}
