package io.cascadefarm.worker.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.TinyPreset;
import io.cascadefarm.cascade.net.lora.TrainToken;
import io.cascadefarm.cascade.train.LoraTrainer;
import io.cascadefarm.cascade.train.TrainingRandomness;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The bucketed data stream: batch shapes, determinism, resume; a short tiny training run. */
class TrainingDataTest {
  static List<TrainingData.Sample> samples(int n) throws Exception {
    List<TrainingData.Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int w = i % 3 == 0 ? 96 : 128;
      int h = i % 3 == 1 ? 96 : 128;
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setColor(new Color((i * 53) % 256, (i * 97) % 256, (i * 31) % 256));
      g.fillRect(0, 0, w, h);
      g.dispose();
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      ImageIO.write(img, "png", b);
      out.add(new TrainingData.Sample(b.toByteArray(), "a photo of [fernando] " + i));
    }
    return out;
  }

  @Test
  void batchesComeFromOneBucketAndResumeExactly() throws Exception {
    List<TrainingData.Sample> s = samples(16);
    try (NDManager m = NDManager.newBaseManager()) {
      TrainingData a = new TrainingData(s, 128, 5);
      List<float[]> first = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        LoraTrainer.Batch b = a.next(2, m);
        assertEquals(2, b.images().getShape().get(0));
        assertEquals(0, b.images().getShape().get(2) % 32);
        assertEquals(0, b.images().getShape().get(3) % 32);
        first.add(b.images().toFloatArray());
        if (i == 2) {
          TrainingData resumed = new TrainingData(s, 128, 5);
          resumed.restore(a.state());
          LoraTrainer.Batch r = resumed.next(2, m);
          LoraTrainer.Batch n = a.next(2, m);
          assertArrayEquals(n.images().toFloatArray(), r.images().toFloatArray());
          assertEquals(n.captions(), r.captions());
        }
      }
    }
  }

  @Test
  void tinyTrainingStaysFinite() throws Exception {
    CascadeModels models = TinyPreset.load(Path.of("target", "tiny-models"));
    try (NDManager m = NDManager.newBaseManager()) {
      TrainingData data = new TrainingData(samples(16), 128, 11);
      LoraTrainer t =
          LoraTrainer.create(
              new LoraTrainer.Networks(
                  models.stageCLoras().base(), models.text(), models.image(), models.effnet()),
              new LoraTrainer.Settings(
                  4,
                  List.of(".attn"),
                  List.of(new TrainToken("[fernando]", "^a")),
                  1e-3,
                  1,
                  2,
                  8,
                  false),
              LoraTrainer.seededUpInit(11),
              m);
      while (t.iteration() < t.maxIterations()) {
        try (NDManager step = m.newSubManager()) {
          LoraTrainer.Batch b = data.next(2, step);
          LoraTrainer.Step s = t.iterate(b, TrainingRandomness.seeded(11, t.iteration() + 1));
          System.out.println(
              "iteration "
                  + s.iteration()
                  + " "
                  + b.images().getShape()
                  + " loss "
                  + s.loss()
                  + " norm "
                  + s.gradNorm());
          assertTrue(Float.isFinite(s.loss()), "loss at " + s.iteration());
        }
      }
      t.close();
    } finally {
      models.close();
    }
  }
}
