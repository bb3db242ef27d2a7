package io.cascadefarm.cascade.net.controlnet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.nn.WeightSource;
import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.Fixtures;
import io.cascadefarm.cascade.tools.parity.ParityComparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End to end: the controlnet_simple network's own outputs drive the stage_c_cnet Stage C (whose
 * fixture stores exactly those outputs as its cnet inputs).
 */
class ControlNetIntoStageCTest {

  private static <M extends io.cascadefarm.cascade.nn.Module> M bound(
      M net, String weights, NDManager m) throws Exception {
    try (WeightSource src = SafetensorsWeights.open(Fixtures.file(weights))) {
      WeightBinder.bind(net, src, m);
    }
    return net;
  }

  @Test
  void controlNetOutputsInjectedIntoStageCReproduceTheReference() throws Exception {
    Fixture cnetFixture = Fixtures.load("controlnet_simple");
    Fixture stageFixture = Fixtures.load("stage_c_cnet");
    try (NDManager m = NDManager.newBaseManager();
        SafetensorsReader cnetIo = SafetensorsReader.open(cnetFixture.file("io"));
        SafetensorsReader io = SafetensorsReader.open(stageFixture.file("io"))) {
      ControlNet cnet =
          bound(
              new ControlNet(ControlNetConfig.fromJson(cnetFixture.config())),
              "controlnet_simple.weights.safetensors",
              m);
      StageC stageC =
          bound(
              new StageC(StageCConfig.fromJson(stageFixture.config())),
              "stage_c_cnet.weights.safetensors",
              m);
      NDArray x = io.load(m, "x");
      NDArray r = io.load(m, "r");
      NDArray text = io.load(m, "clip_text");
      NDArray pooled = io.load(m, "clip_text_pooled");
      NDArray img = io.load(m, "clip_img");

      List<NDArray> control = cnet.forward(cnetIo.load(m, "x"));
      float[] withCnet = stageC.forward(x, r, text, pooled, img, null, control).toFloatArray();
      double err = ParityComparator.relError(io.readFloats("out"), withCnet);
      System.out.printf("controlnet_simple -> stage_c_cnet out: rel=%.3e%n", err);
      assertTrue(err < 1e-3, "rel " + err);

      List<NDArray> muted = cnet.forward(cnetIo.load(m, "x"), 0f);
      float[] mutedOut = stageC.forward(x, r, text, pooled, img, null, muted).toFloatArray();
      double mutedErr = ParityComparator.relError(io.readFloats("out_nocnet"), mutedOut);
      System.out.printf("strength 0 vs out_nocnet: rel=%.3e%n", mutedErr);
      assertTrue(mutedErr < 1e-3, "rel " + mutedErr);
    }
  }
}
