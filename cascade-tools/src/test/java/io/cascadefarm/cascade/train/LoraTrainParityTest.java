package io.cascadefarm.cascade.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.model.ImageLatentEncoder;
import io.cascadefarm.cascade.net.clip.ClipActivation;
import io.cascadefarm.cascade.net.clip.ClipImageEncoder;
import io.cascadefarm.cascade.net.clip.ClipTextConfig;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.net.clip.ClipVisionConfig;
import io.cascadefarm.cascade.net.clip.PooledPosition;
import io.cascadefarm.cascade.net.effnet.EfficientNetEncoder;
import io.cascadefarm.cascade.net.effnet.EffnetEncoderConfig;
import io.cascadefarm.cascade.net.lora.TrainToken;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.testing.TestResources;
import io.cascadefarm.cascade.text.ClipTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The LoRA trainer against the official {@code train_c_lora.py} (fixture {@code lora}, made by
 * tools/train-parity/gen.py): 6 iterations with grad accumulation 2 on tiny networks, the same
 * data, caption dropout, CLIP image rows, noise and times; per iteration the losses, per update the
 * gradient norm and learning rate, and after updates 1 and 3 the LoRA pairs and ReToken rows.
 */
class LoraTrainParityTest {
  /** Loss, loss_adjusted, gradient norm: fp32 forward/backward through CLIP-1280 and Stage C. */
  static final double LOSS_TOL = 1e-4;

  /** Changes of the trained tensors since the start (see {@link #assertUpdate}). */
  static final double UPDATE_L2_TOL = 5e-4;

  @Test
  void matchesTheOfficialTrainer() throws Exception {
    try (TrainFixture f = new TrainFixture("lora");
        NDManager m = NDManager.newBaseManager()) {
      JsonNode s = f.json.get("settings");
      ClipTokenizer tokenizer = ClipTokenizer.load(TestResources.dir("clip/reference/tokenizer"));
      JsonNode ct = f.json.get("clip_text");
      ClipTextConfig textConfig =
          new ClipTextConfig(
              ct.get("vocab_size").asInt(),
              ct.get("max_position_embeddings").asInt(),
              ct.get("hidden_size").asInt(),
              ct.get("intermediate_size").asInt(),
              ct.get("num_hidden_layers").asInt(),
              ct.get("num_attention_heads").asInt(),
              ct.get("projection_dim").asInt(),
              ClipActivation.GELU,
              (float) ct.get("layer_norm_eps").asDouble(),
              PooledPosition.FIRST_EOS);
      ClipTextEncoder text =
          ClipTextEncoder.create(tokenizer, textConfig, f.hashinit("clip_text"), m);
      JsonNode cv = f.json.get("clip_vision");
      ClipImageEncoder image =
          ClipImageEncoder.create(
              new ClipVisionConfig(
                  cv.get("image_size").asInt(),
                  cv.get("patch_size").asInt(),
                  cv.get("hidden_size").asInt(),
                  cv.get("intermediate_size").asInt(),
                  cv.get("num_hidden_layers").asInt(),
                  cv.get("num_attention_heads").asInt(),
                  cv.get("projection_dim").asInt(),
                  ClipActivation.QUICK_GELU,
                  (float) cv.get("layer_norm_eps").asDouble()),
              f.hashinit("clip_vision"),
              m);
      StageC stageC = new StageC(StageCConfig.fromJson(f.json.get("stage_c")));
      WeightBinder.bind(stageC, f.hashinit("stage_c"), m);
      ImageLatentEncoder effnet = effnet(m);

      List<TrainToken> tokens = new ArrayList<>();
      for (JsonNode t : s.get("train_tokens")) {
        tokens.add(new TrainToken(t.get(0).asText(), t.get(1).isNull() ? null : t.get(1).asText()));
      }
      LoraTrainer.Settings settings =
          new LoraTrainer.Settings(
              s.get("rank").asInt(),
              List.of(s.get("module_filters").get(0).asText()),
              tokens,
              s.get("lr").asDouble(),
              s.get("warmup_updates").asInt(),
              s.get("grad_accum_steps").asInt(),
              s.get("updates").asLong(),
              false);
      try (LoraTrainer trainer =
          LoraTrainer.create(
              new LoraTrainer.Networks(stageC, text, image, effnet),
              settings,
              (index, size) -> f.floats("init.weights." + index + ".lora_up"),
              m)) {
        assertResolvedTokens(f, trainer);
        Map<String, float[]> init = snapshot(trainer);
        for (JsonNode it : f.json.get("iterations")) {
          int i = it.get("iteration").asInt();
          LoraTrainer.Batch batch =
              new LoraTrainer.Batch(
                  f.array("iter" + i + ".images", m), strings(it.get("captions")));
          LoraTrainer.Step step = trainer.iterate(batch, recorded(f, it, i));
          float[] loss = floats(it.get("loss"));
          float mean = 0;
          for (float v : loss) {
            mean += v / loss.length;
          }
          assertEquals(it.get("update").asBoolean(), step.update(), "update at " + i);
          assertEquals(mean, step.loss(), LOSS_TOL * Math.abs(mean), "loss at " + i);
          double adj = it.get("loss_adjusted").asDouble();
          assertEquals(adj, step.lossAdjusted(), LOSS_TOL * Math.abs(adj), "loss_adjusted at " + i);
          if (step.update()) {
            double gn = it.get("grad_norm").asDouble();
            assertEquals(gn, step.gradNorm(), LOSS_TOL * gn, "grad norm at " + i);
            assertEquals(it.get("lr").asDouble(), step.lr(), 1e-12, "lr at " + i);
            if (step.updates() == 1 || step.updates() == 3) {
              assertUpdate(f, trainer, init, "after" + step.updates());
            }
          }
        }
      }
    }
  }

  static ImageLatentEncoder effnet(NDManager m) throws Exception {
    Path dir = TestResources.dir("parity");
    JsonNode cfg =
        new ObjectMapper().readTree(dir.resolve("effnet_tiny.json").toFile()).get("config");
    EfficientNetEncoder net = new EfficientNetEncoder(EffnetEncoderConfig.fromJson(cfg));
    try (SafetensorsWeights w =
        SafetensorsWeights.open(dir.resolve("effnet_tiny.weights.safetensors"))) {
      WeightBinder.bind(net, w, m);
    }
    return new ImageLatentEncoder() {
      @Override
      public NDArray encode(NDArray rgb) {
        return net.encode(rgb);
      }

      @Override
      public int stride() {
        return net.stride();
      }
    };
  }

  static void assertResolvedTokens(TrainFixture f, LoraTrainer trainer) {
    List<Long> expected = new ArrayList<>();
    for (JsonNode e : f.json.get("train_tokens_resolved")) {
      expected.add(e.get(0).asLong());
    }
    expected.sort(null);
    long[] got = trainer.retoken().indices();
    assertArrayEquals(expected.stream().mapToLong(Long::longValue).toArray(), got);
  }

  static Map<String, float[]> snapshot(LoraTrainer t) {
    Map<String, float[]> out = new HashMap<>();
    for (Trainable p : t.parameters()) {
      out.put(p.name(), p.toFloatArray());
    }
    return out;
  }

  /**
   * The change of every trained tensor since the start, against the official change: relative L2
   * error per tensor within {@link #UPDATE_L2_TOL}. (Adam divides by sqrt(v): an element whose
   * gradient is within rounding of zero moves by about lr with an arbitrary sign, so a max-norm
   * criterion on single elements would test rounding, not the trainer.)
   */
  static void assertUpdate(
      TrainFixture f, LoraTrainer t, Map<String, float[]> init, String prefix) {
    long[] idx = f.io.readLongs(prefix + ".embeddings.indices");
    float[] rows = f.floats(prefix + ".embeddings.embeddings");
    int width = rows.length / idx.length;
    long[] mine = t.retoken().indices();
    float[] myRows = t.retoken().delta().toFloatArray();
    float[] ref = new float[myRows.length];
    for (int k = 0; k < idx.length; k++) {
      int pos = java.util.Arrays.binarySearch(mine, idx[k]);
      System.arraycopy(rows, k * width, ref, pos * width, width);
    }
    check(
        prefix + " embeddings", TrainFixture.minus(myRows, init.get("embeddings.embeddings")), ref);
    for (int k = 0; k < t.lora().pairs().size(); k++) {
      for (String side : new String[] {"lora_down", "lora_up"}) {
        String name = "weights." + k + "." + side;
        Trainable p =
            side.equals("lora_down")
                ? t.lora().pairs().get(k).down()
                : t.lora().pairs().get(k).up();
        float[] refChange = TrainFixture.minus(f.floats(prefix + "." + name), init.get(name));
        check(prefix + " " + name, TrainFixture.minus(p.toFloatArray(), init.get(name)), refChange);
      }
    }
  }

  static void check(String what, float[] mine, float[] ref) {
    double err = TrainFixture.l2Err(mine, ref);
    System.out.printf(
        "%s: relative L2 error of the change %.3g (max-rel %.3g)%n",
        what, err, TrainFixture.relErr(mine, ref));
    assertTrue(err <= UPDATE_L2_TOL, what + ": relative L2 error " + err);
  }

  static TrainingRandomness recorded(TrainFixture f, JsonNode it, int i) {
    return new TrainingRandomness() {
      @Override
      public double[] captionUniforms(int batch) {
        return doubles(it.get("caption_uniforms"));
      }

      @Override
      public double[] imageUniforms(int batch) {
        return doubles(it.get("image_uniforms"));
      }

      @Override
      public float[] times(int batch) {
        return floats(it.get("t"));
      }

      @Override
      public float[] normal(int n) {
        float[] e = f.floats("iter" + i + ".epsilon");
        assertEquals(n, e.length);
        return e;
      }
    };
  }

  static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(n -> out.add(n.asText()));
    return out;
  }

  static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }

  static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }
}
