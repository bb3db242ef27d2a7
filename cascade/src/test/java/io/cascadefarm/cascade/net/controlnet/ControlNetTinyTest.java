package io.cascadefarm.cascade.net.controlnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.net.stagea.TinyWeights;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlNetTinyTest {
  private static final List<Integer> BLOCKS = List.of(0, 2, 3);

  private static List<NDArray> run(BottleneckMode mode, int cIn, Shape in, float strength)
      throws Exception {
    NDManager m = NDManager.newBaseManager();
    ControlNet net = new ControlNet(ControlNetConfig.tiny(mode, cIn, 24, BLOCKS));
    TinyWeights.bind(net, "controlnet_tiny_" + mode, m);
    m.getEngine().setRandomSeed(5);
    return net.forward(m.randomUniform(0, 1, in), strength);
  }

  @Test
  void effnetModeReachesStride32WithUnpaddedStemForSingleChannelInput() throws Exception {
    List<NDArray> out = run(BottleneckMode.EFFNET, 1, new Shape(2, 1, 64, 96), 1f);
    assertEquals(4, out.size());
    assertNull(out.get(1));
    assertArrayEquals(new long[] {2, 24, 2, 3}, out.get(0).getShape().getShape());
    out.get(0).getManager().close();
  }

  @Test
  void largeAndSimpleModesKeepTheSpatialSize() throws Exception {
    List<NDArray> large = run(BottleneckMode.LARGE, 16, new Shape(1, 16, 3, 4), 1f);
    assertArrayEquals(new long[] {1, 24, 3, 4}, large.get(3).getShape().getShape());
    List<NDArray> simple = run(BottleneckMode.SIMPLE, 8, new Shape(1, 8, 5, 6), 1f);
    assertArrayEquals(new long[] {1, 24, 5, 6}, simple.get(2).getShape().getShape());
    large.get(0).getManager().close();
    simple.get(0).getManager().close();
  }

  @Test
  void controlStrengthScalesEveryProjection() throws Exception {
    List<NDArray> full = run(BottleneckMode.SIMPLE, 8, new Shape(1, 8, 5, 6), 1f);
    List<NDArray> weak = run(BottleneckMode.SIMPLE, 8, new Shape(1, 8, 5, 6), 0.3f);
    for (int b : BLOCKS) {
      assertArrayEquals(full.get(b).mul(0.3f).toFloatArray(), weak.get(b).toFloatArray(), 1e-6f);
    }
    full.get(0).getManager().close();
    weak.get(0).getManager().close();
  }

  @Test
  void tinyVariantsDriveTheTinyStageC() throws Exception {
    io.cascadefarm.cascade.net.stagec.StageCConfig stage =
        io.cascadefarm.cascade.net.stagec.StageCConfig.tiny();
    for (String v : List.of("canny", "inpainting", "super_resolution", "identity")) {
      ControlNetConfig c = ControlNetConfig.tinyForVariant(v);
      assertEquals(ControlNetConfig.forVariant(v).mode(), c.mode(), v);
      assertEquals(32, c.cProj(), v);
    }
    assertEquals(4, ControlNetConfig.tinyForVariant("inpainting").cIn());
    try (NDManager m = NDManager.newBaseManager()) {
      ControlNet net = new ControlNet(ControlNetConfig.tinyForVariant("canny"));
      TinyWeights.bind(net, "controlnet_tiny_canny", m);
      io.cascadefarm.cascade.net.stagec.StageC c =
          TinyWeights.bind(new io.cascadefarm.cascade.net.stagec.StageC(stage), "stage_c_tiny", m);
      List<NDArray> cnet = net.forward(m.randomUniform(0, 1, new Shape(1, 1, 64, 64)));
      NDArray x = m.randomNormal(new Shape(1, 16, 4, 4));
      NDArray r = m.create(new float[] {0.5f});
      NDArray withCnet =
          c.forward(
              x,
              r,
              m.zeros(new Shape(1, 3, 32)),
              m.zeros(new Shape(1, 1, 32)),
              m.zeros(new Shape(1, 1, 24)),
              null,
              cnet);
      NDArray without =
          c.forward(
              x,
              r,
              m.zeros(new Shape(1, 3, 32)),
              m.zeros(new Shape(1, 1, 32)),
              m.zeros(new Shape(1, 1, 24)),
              null,
              null);
      assertArrayEquals(new long[] {1, 16, 4, 4}, withCnet.getShape().getShape());
      assertTrue(withCnet.sub(without).abs().max().getFloat() > 1e-4f, "control changes eps");
    }
  }

  @Test
  void badConfigurationsNameTheField() {
    assertThrows(IllegalArgumentException.class, () -> BottleneckMode.parse("huge"));
    assertThrows(IllegalArgumentException.class, () -> ControlNetConfig.forVariant("depth"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ControlNetConfig.tiny(BottleneckMode.SIMPLE, 4, 8, List.of()));
  }
}
