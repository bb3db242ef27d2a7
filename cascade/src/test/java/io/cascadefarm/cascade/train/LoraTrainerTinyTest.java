package io.cascadefarm.cascade.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.TinyPreset;
import io.cascadefarm.cascade.net.lora.TrainToken;
import io.cascadefarm.cascade.nn.Parameter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The LoRA trainer on the tiny preset: autograd through Stage C and CLIP, updates, no leaks. */
class LoraTrainerTinyTest {
  private static CascadeModels models;
  private static NDManager manager;

  @BeforeAll
  static void load() {
    models = TinyPreset.load(Path.of("target", "tiny-models"));
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
    models.close();
  }

  static LoraTrainer.Networks nets() {
    return new LoraTrainer.Networks(
        models.stageCLoras().base(), models.text(), models.image(), models.effnet());
  }

  static LoraTrainer.Batch batch(NDManager m, int b) {
    float[] px = new float[b * 3 * 96 * 128];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) ((Math.sin(i * 0.013) + 1) / 2);
    }
    List<String> captions = new java.util.ArrayList<>();
    for (int i = 0; i < b; i++) {
      captions.add("a photo of [fernando] number " + i);
    }
    return new LoraTrainer.Batch(m.create(px, new Shape(b, 3, 96, 128)), captions);
  }

  static LoraTrainer.Settings settings(double lr, int warmup, int accum, long updates) {
    return new LoraTrainer.Settings(
        4,
        List.of(".attn"),
        List.of(new TrainToken("[fernando]", "^a")),
        lr,
        warmup,
        accum,
        updates,
        false);
  }

  /** Keeps every caption, no image embeddings, fixed t and noise per iteration. */
  static TrainingRandomness fixed(long iteration) {
    TrainingRandomness r = TrainingRandomness.seeded(5, iteration);
    return new TrainingRandomness() {
      @Override
      public double[] captionUniforms(int batch) {
        return filled(batch, 0.5);
      }

      @Override
      public double[] imageUniforms(int batch) {
        return filled(batch, iteration == 1 ? 0.95 : 0.5);
      }

      @Override
      public float[] times(int batch) {
        float[] t = new float[batch];
        java.util.Arrays.fill(t, 0.5f);
        return t;
      }

      @Override
      public float[] normal(int n) {
        return TrainingRandomness.seeded(5, 0).normal(n);
      }
    };
  }

  static double[] filled(int n, double v) {
    double[] d = new double[n];
    java.util.Arrays.fill(d, v);
    return d;
  }

  @Test
  void updatesLoraAndTokenRowsAndLowersTheLoss() {
    try (NDManager m = manager.newSubManager();
        LoraTrainer t =
            LoraTrainer.create(nets(), settings(3e-2, 0, 2, 6), LoraTrainer.seededUpInit(1), m)) {
      LoraTrainer.Batch batch = batch(m, 2);
      assertEquals(1, t.retoken().indices().length, "one new token trained");
      long newId = t.retoken().indices()[0];
      assertEquals(models.text().tokenizer().vocabSize(), newId, "added after the vocabulary");
      assertEquals(
          12, t.lora().pairs().size(), "tiny Stage C: 6 attention blocks x (out_proj, in_proj)");
      float first = Float.NaN;
      float last = Float.NaN;
      for (int i = 0; i < 12; i++) {
        LoraTrainer.Step s = t.iterate(batch, fixed(i + 1));
        assertEquals(i + 1, s.iteration());
        assertEquals((i + 1) % 2 == 0, s.update());
        assertTrue(Float.isFinite(s.loss()));
        if (s.update()) {
          assertTrue(s.gradNorm() > 0, "gradients reach the trained tensors");
        }
        if (i == 0) {
          first = s.loss();
        }
        last = s.loss();
      }
      assertEquals(6, t.updates());
      assertTrue(last < first, "loss " + first + " -> " + last + " on a fixed batch and noise");
      float[] delta = t.retoken().delta().toFloatArray();
      assertTrue(norm(delta) > 0, "the new token's row was trained");
      float[] down = t.lora().pairs().get(0).down().toFloatArray();
      assertTrue(norm(down) > 0, "lora_down moved from zeros");
      // the shared base weights never require gradients and are untouched
      Map<String, Parameter> base = models.stageCLoras().base().namedParameters();
      NDArray w = base.get(t.lora().pairs().get(0).key()).array();
      assertFalse(w.hasGradient());
    }
  }

  @Test
  void firstUpdateRunsAtLearningRateZeroWithOfficialWarmup() {
    try (NDManager m = manager.newSubManager();
        LoraTrainer t =
            LoraTrainer.create(nets(), settings(1e-4, 1, 1, 3), LoraTrainer.seededUpInit(1), m)) {
      LoraTrainer.Batch batch = batch(m, 1);
      float[] up0 = t.lora().pairs().get(0).up().toFloatArray();
      LoraTrainer.Step s = t.iterate(batch, fixed(1));
      assertEquals(0.0, s.lr());
      assertArrayEquals(up0, t.lora().pairs().get(0).up().toFloatArray());
      LoraTrainer.Step s2 = t.iterate(batch, fixed(2));
      assertEquals(1e-4, s2.lr(), 1e-12);
      assertNotEquals(0f, norm(t.lora().pairs().get(0).down().toFloatArray()));
    }
  }

  /**
   * Arrays created from Java data are views of Java buffers that a GC frees once the array is
   * closed; nothing the graph keeps may be such a view. With a full GC (and churn of direct
   * buffers) before every backward, training must give the same numbers as without.
   */
  @Test
  void garbageCollectionBeforeBackwardChangesNothing() {
    float[] plain = trainAndSnapshot();
    GradientScope.beforeBackward =
        () -> {
          for (int i = 0; i < 200; i++) {
            java.nio.ByteBuffer.allocateDirect(4096).putFloat(0, 1e30f);
          }
          System.gc();
          for (int i = 0; i < 200; i++) {
            java.nio.ByteBuffer.allocateDirect(64).putFloat(0, 1e30f);
          }
        };
    try {
      assertArrayEquals(plain, trainAndSnapshot());
    } finally {
      GradientScope.beforeBackward = null;
    }
  }

  private float[] trainAndSnapshot() {
    try (NDManager m = manager.newSubManager();
        LoraTrainer t =
            LoraTrainer.create(nets(), settings(1e-2, 0, 1, 3), LoraTrainer.seededUpInit(1), m)) {
      LoraTrainer.Batch batch = batch(m, 2);
      for (int i = 0; i < 3; i++) {
        t.iterate(batch, fixed(i + 1));
      }
      java.util.List<Float> all = new java.util.ArrayList<>();
      for (Trainable p : t.parameters()) {
        for (float v : p.toFloatArray()) {
          all.add(v);
        }
      }
      float[] out = new float[all.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = all.get(i);
      }
      return out;
    }
  }

  @Test
  void refusesBadTokensAndFilters() {
    try (NDManager m = manager.newSubManager()) {
      LoraTrainer.Settings bad =
          new LoraTrainer.Settings(
              4, List.of(".attn"), List.of(new TrainToken("(a", null)), 1e-4, 1, 1, 1, false);
      assertThrows(
          IllegalArgumentException.class,
          () -> LoraTrainer.create(nets(), bad, LoraTrainer.seededUpInit(1), m));
      LoraTrainer.Settings none =
          new LoraTrainer.Settings(4, List.of(".nothing"), List.of(), 1e-4, 1, 1, 1, false);
      assertThrows(
          IllegalArgumentException.class,
          () -> LoraTrainer.create(nets(), none, LoraTrainer.seededUpInit(1), m));
      LoraTrainer.Settings backref =
          new LoraTrainer.Settings(
              4, List.of(".attn"), List.of(new TrainToken("(a)\\1", null)), 1e-4, 1, 1, 1, false);
      assertThrows(
          IllegalArgumentException.class,
          () -> LoraTrainer.create(nets(), backref, LoraTrainer.seededUpInit(1), m));
    }
  }

  static double norm(float[] a) {
    double s = 0;
    for (float v : a) {
      s += v * v;
    }
    return Math.sqrt(s);
  }
}
