package io.cascadefarm.cascade.net.stagea;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class StageATinyTest {
  @Test
  void tinyPresetEncodesAndDecodesAtStrideFour() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      StageA net = TinyWeights.bind(new StageA(StageAConfig.tiny()), "stage_a_tiny", m);
      NDArray image = m.randomUniform(0, 1, new Shape(1, 3, 24, 20));
      StageAEncoding e = net.encode(image, true);
      assertArrayEquals(new long[] {1, 4, 6, 5}, e.latent().getShape().getShape());
      assertEquals(DataType.INT64, e.indices().getDataType());
      assertTrue(e.indices().max().getLong() < StageAConfig.tiny().codebookSize());
      assertEquals(0, e.loss().getShape().dimension());
      NDArray decoded = net.decode(e.latent());
      assertArrayEquals(new long[] {1, 3, 24, 20}, decoded.getShape().getShape());
    }
  }

  @Test
  void levelChannelsUseFloorDivisionLikeTheOfficialCode() {
    assertArrayEquals(
        new int[] {7, 15, 30}, new StageAConfig(3, 1, 30, 4, 8, 0.43f).levelChannels());
    assertArrayEquals(new int[] {192, 384}, StageAConfig.official().levelChannels());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new StageAConfig(3, 1, 3, 4, 8, 0.43f));
  }
}
