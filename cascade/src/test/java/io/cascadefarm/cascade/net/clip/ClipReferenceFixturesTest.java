package io.cascadefarm.cascade.net.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.nn.WeightMismatchException;
import io.cascadefarm.cascade.nn.WeightSource;
import io.cascadefarm.cascade.text.ClipTokenizer;
import io.cascadefarm.cascade.text.TokenizedPrompt;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The port's CLIP towers against transformers' own {@code modeling_clip.py} (an independent
 * implementation): tiny random-weight models in the exact transformers key layouts, run in float64
 * by the generator in {@code tools/clip-ref/} (see its README), outputs stored as float32.
 *
 * <p>Tolerance: every compared tensor must satisfy {@code max|port - ref| <= 1e-5 * max|ref|} (the
 * port runs in float32; the measured error is about 1e-7 relative).
 */
class ClipReferenceFixturesTest {
  static final double TOLERANCE = 1e-5;
  private static final String DIR = "/clip/reference/";

  private static NDManager manager;
  private static JsonNode manifest;

  @BeforeAll
  static void setUp() throws IOException {
    manager = NDManager.newBaseManager();
    manifest = new ObjectMapper().readTree(resource("clip_models.json").toFile());
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @TestFactory
  Stream<DynamicTest> textModelsMatchTransformers() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode m : manifest.get("text")) {
      if (!m.has("prompts")) {
        tests.add(DynamicTest.dynamicTest(m.get("name").asText(), () -> checkTextModel(m)));
      }
    }
    assertTrue(tests.size() >= 4, "text fixtures: " + tests.size());
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> visionModelsMatchTransformers() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode m : manifest.get("vision")) {
      tests.add(DynamicTest.dynamicTest(m.get("name").asText(), () -> checkVisionModel(m)));
    }
    assertTrue(tests.size() >= 3, "vision fixtures: " + tests.size());
    return tests.stream();
  }

  /** Tokenizer + text model + pooling, as Stable Cascade's encode_prompt, on real CLIP ids. */
  @Test
  void textEncoderPipelineMatchesTransformers() throws Exception {
    JsonNode m = entry("text", "text_pipeline");
    ClipTextConfig config = textConfig(m.get("config"));
    Path vocab = resource("tokenizer/vocab.json");
    ClipTokenizer tokenizer = ClipTokenizer.load(vocab.getParent());
    List<String> prompts = new ArrayList<>();
    m.get("prompts").forEach(p -> prompts.add(p.asText()));
    String name = m.get("name").asText();
    try (NDManager work = manager.newSubManager();
        SafetensorsReader io = SafetensorsReader.open(resource(name + ".io.safetensors"));
        ClipWeights weights = ClipWeights.open(resource(name + ".safetensors"));
        ClipTextEncoder encoder = ClipTextEncoder.create(tokenizer, config, weights, work);
        TextConditioning c = encoder.encode(prompts, work)) {
      long[] ids = io.readLongs("input_ids");
      int l = tokenizer.contextLength();
      for (int b = 0; b < prompts.size(); b++) {
        int[] expected = new int[l];
        for (int i = 0; i < l; i++) {
          expected[i] = Math.toIntExact(ids[b * l + i]);
        }
        assertArrayEquals(expected, tokenizer.encode(prompts.get(b)).ids(), "ids of prompt " + b);
      }
      List<String> failures = new ArrayList<>();
      compare(name, "hidden_states[-1] (tokens)", c.tokens(), io, "hidden_states_last", failures);
      compare(name, "text_embeds (pooled)", squeeze1(c.pooled()), io, "text_embeds", failures);
      report(failures);
    }
  }

  @Test
  void projectionFreeCheckpointsAreRejectedByTheWithProjectionModels() throws Exception {
    JsonNode text = entry("text", "text_no_projection");
    try (ClipWeights w = ClipWeights.open(resource("text_no_projection.safetensors"))) {
      WeightMismatchException e =
          assertThrows(
              WeightMismatchException.class,
              () -> WeightBinder.check(new ClipTextModel(textConfig(text.get("config"))), w));
      assertTrue(e.getMessage().contains("text_projection.weight"), e.getMessage());
    }
    JsonNode vision = entry("vision", "vision_no_projection");
    try (ClipWeights w = ClipWeights.open(resource("vision_no_projection.safetensors"))) {
      WeightMismatchException e =
          assertThrows(
              WeightMismatchException.class,
              () -> WeightBinder.check(new ClipVisionModel(visionConfig(vision.get("config"))), w));
      assertTrue(e.getMessage().contains("visual_projection.weight"), e.getMessage());
    }
  }

  private static void checkTextModel(JsonNode m) throws Exception {
    String name = m.get("name").asText();
    ClipTextConfig config = textConfig(m.get("config"));
    int eos = m.get("config").get("eosTokenId").asInt();
    boolean projected = m.get("withProjection").asBoolean();
    try (NDManager work = manager.newSubManager();
        SafetensorsReader io = SafetensorsReader.open(resource(name + ".io.safetensors"));
        WeightSource weights = weights(name, projected, "text_projection.weight", config.width())) {
      ClipTextModel model = new ClipTextModel(config);
      WeightBinder.bind(model, weights, work);
      long[] shape = io.info("input_ids").shape();
      int b = Math.toIntExact(shape[0]);
      int l = Math.toIntExact(shape[1]);
      long[] ids = io.readLongs("input_ids");
      long[] mask = io.readLongs("attention_mask");
      int[][] rows = new int[b][l];
      List<TokenizedPrompt> prompts = new ArrayList<>();
      long[] pooledRows = new long[b];
      for (int n = 0; n < b; n++) {
        int[] m1 = new int[l];
        int last = 0;
        for (int i = 0; i < l; i++) {
          rows[n][i] = Math.toIntExact(ids[n * l + i]);
          m1[i] = Math.toIntExact(mask[n * l + i]);
          if (m1[i] != 0) {
            last = i;
          }
        }
        prompts.add(new TokenizedPrompt(rows[n], m1, last, false));
        pooledRows[n] = (long) n * l + config.pooledPosition().indexIn(rows[n], eos, last);
      }
      NDArray bias = TextAttentionBias.build(prompts, work);
      ClipTextModel.Output out =
          model.forward(rows, bias, work.create(pooledRows, new Shape(b)), TokenRows.NONE);
      List<String> failures = new ArrayList<>();
      compare(name, "hidden_states[-1]", out.lastHidden(), io, "hidden_states_last", failures);
      compare(
          name,
          "last_hidden_state",
          model.finalLayerNorm(out.lastHidden()),
          io,
          "last_hidden_state",
          failures);
      compare(
          name,
          projected ? "text_embeds" : "pooler_output (identity projection)",
          out.projectedPooled(),
          io,
          projected ? "text_embeds" : "pooler_output",
          failures);
      report(failures);
    }
  }

  private static void checkVisionModel(JsonNode m) throws Exception {
    String name = m.get("name").asText();
    ClipVisionConfig config = visionConfig(m.get("config"));
    boolean projected = m.get("withProjection").asBoolean();
    String embeds = projected ? "image_embeds" : "pooler_output";
    try (NDManager work = manager.newSubManager();
        SafetensorsReader io = SafetensorsReader.open(resource(name + ".io.safetensors"));
        WeightSource weights =
            weights(name, projected, "visual_projection.weight", config.width())) {
      ClipImageEncoder encoder = ClipImageEncoder.create(config, weights, work);
      ClipVisionModel model = encoder.model();
      List<String> failures = new ArrayList<>();
      NDArray pixels = io.load(work, "pixel_values");
      compare(
          name,
          "last_hidden_state",
          model.lastHiddenState(pixels),
          io,
          "last_hidden_state",
          failures);
      compare(name, embeds, model.forward(pixels), io, embeds, failures);
      ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(config.imageSize());
      for (String tag : List.of("landscape", "portrait")) {
        NDArray image = io.load(work, "image_" + tag);
        compare(
            name,
            "clip_preprocess(" + tag + ")",
            preprocessor.apply(image),
            io,
            "preprocessed_" + tag,
            failures);
        compare(
            name,
            "ClipImageEncoder.encode(" + tag + ")",
            squeeze1(encoder.encode(image, work)),
            io,
            embeds + "_" + tag,
            failures);
      }
      report(failures);
      encoder.close();
    }
  }

  /**
   * The fixture's weights; a projection-free checkpoint (CLIPTextModel / CLIPVisionModel) gets an
   * identity projection, so the port's WithProjection model outputs the reference pooler_output.
   */
  private static WeightSource weights(String name, boolean projected, String projKey, int width)
      throws IOException {
    ClipWeights file = ClipWeights.open(resource(name + ".safetensors"));
    if (projected) {
      return file;
    }
    return new WeightSource() {
      @Override
      public Map<String, long[]> shapes() {
        Map<String, long[]> s = new LinkedHashMap<>(file.shapes());
        s.put(projKey, new long[] {width, width});
        return s;
      }

      @Override
      public NDArray load(String key, NDManager m) {
        return key.equals(projKey) ? m.eye(width) : file.load(key, m);
      }

      @Override
      public void close() throws Exception {
        file.close();
      }
    };
  }

  private static NDArray squeeze1(NDArray x) {
    return x.reshape(x.getShape().get(0), x.getShape().get(2));
  }

  /** Adds a line to {@code failures} unless max|actual - ref| <= TOLERANCE * max|ref|. */
  static void compare(
      String fixture,
      String what,
      NDArray actual,
      SafetensorsReader io,
      String key,
      List<String> failures) {
    long[] refShape = io.info(key).shape();
    if (!java.util.Arrays.equals(refShape, actual.getShape().getShape())) {
      failures.add(
          fixture
              + " "
              + what
              + ": shape "
              + actual.getShape()
              + " vs reference "
              + java.util.Arrays.toString(refShape));
      return;
    }
    float[] ref = io.readFloats(key);
    float[] got = actual.toFloatArray();
    double maxRef = 0;
    double maxDiff = 0;
    int worst = 0;
    for (int i = 0; i < ref.length; i++) {
      maxRef = Math.max(maxRef, Math.abs(ref[i]));
      double d = Math.abs((double) got[i] - ref[i]);
      if (d > maxDiff || Double.isNaN(d)) {
        maxDiff = d;
        worst = i;
      }
    }
    double rel = maxDiff / maxRef;
    if (!(rel <= TOLERANCE)) {
      failures.add(
          String.format(
              "%s %s (%s): max|port-ref|/max|ref| = %.3g > %.0e (max diff %.4g at flat index %d:"
                  + " port %.6g, ref %.6g; max|ref| %.4g)",
              fixture, what, key, rel, TOLERANCE, maxDiff, worst, got[worst], ref[worst], maxRef));
    }
  }

  static void report(List<String> failures) {
    if (!failures.isEmpty()) {
      fail(
          "port differs from transformers' modeling_clip.py (tools/clip-ref fixtures):\n  "
              + String.join("\n  ", failures));
    }
  }

  static ClipTextConfig textConfig(JsonNode c) {
    return new ClipTextConfig(
        c.get("vocabSize").asInt(),
        c.get("maxPositions").asInt(),
        c.get("width").asInt(),
        c.get("intermediate").asInt(),
        c.get("layers").asInt(),
        c.get("heads").asInt(),
        c.get("projectionDim").asInt(),
        activation(c.get("activation").asText()),
        (float) c.get("layerNormEps").asDouble(),
        PooledPosition.valueOf(c.get("pooling").asText()));
  }

  static ClipVisionConfig visionConfig(JsonNode c) {
    return new ClipVisionConfig(
        c.get("imageSize").asInt(),
        c.get("patchSize").asInt(),
        c.get("width").asInt(),
        c.get("intermediate").asInt(),
        c.get("layers").asInt(),
        c.get("heads").asInt(),
        c.get("projectionDim").asInt(),
        activation(c.get("activation").asText()),
        (float) c.get("layerNormEps").asDouble());
  }

  private static ClipActivation activation(String hfName) {
    return switch (hfName) {
      case "gelu" -> ClipActivation.GELU;
      case "quick_gelu" -> ClipActivation.QUICK_GELU;
      default -> throw new IllegalArgumentException("hidden_act " + hfName);
    };
  }

  private static JsonNode entry(String kind, String name) {
    for (JsonNode m : manifest.get(kind)) {
      if (m.get("name").asText().equals(name)) {
        return m;
      }
    }
    throw new IllegalStateException("no fixture " + name);
  }

  static Path resource(String name) {
    try {
      return Path.of(ClipReferenceFixturesTest.class.getResource(DIR + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + DIR + name, e);
    }
  }

  /** Two fixtures carry the int64 position_ids buffer of older transformers checkpoints. */
  @Test
  void optionalPositionIdsBuffersAreSkipped() throws Exception {
    for (String key :
        List.of(
            "text_bigg_like:text_model.embeddings.position_ids",
            "vision_vitl_like:vision_model.embeddings.position_ids")) {
      String[] parts = key.split(":");
      try (SafetensorsReader raw = SafetensorsReader.open(resource(parts[0] + ".safetensors"));
          ClipWeights weights = ClipWeights.open(resource(parts[0] + ".safetensors"))) {
        assertTrue(raw.contains(parts[1]), key);
        assertTrue(!weights.shapes().containsKey(parts[1]), key);
      }
    }
  }

  @Test
  void manifestNamesTheReference() {
    assertTrue(manifest.get("source").asText().contains("modeling_clip.py"));
    assertEquals(5, manifest.get("text").size());
    assertEquals(3, manifest.get("vision").size());
  }
}
