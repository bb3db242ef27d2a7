package io.cascadefarm.cascade.net.effnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.net.stagea.TinyWeights;
import org.junit.jupiter.api.Test;

class EffnetConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void makeDivisibleFollowsTorchvision() {
    assertEquals(16, StageSetting.makeDivisible(12, 8));
    assertEquals(96, StageSetting.makeDivisible(24 * 4, 8));
    assertEquals(8, StageSetting.makeDivisible(3, 8));
    assertEquals(40, StageSetting.makeDivisible(36, 8));
  }

  @Test
  void explicitSettingWithBackboneTextIsParsed() throws Exception {
    String json =
        "{\"c_latent\":8,\"backbone\":\"EfficientNet(s, norm_layer=partial(nn.BatchNorm2d,"
            + " eps=1e-3), last_channel=96).features\",\"inverted_residual_setting\":["
            + "{\"block\":\"FusedMBConv\",\"expand_ratio\":2,\"kernel\":3,\"stride\":2,"
            + "\"input_channels\":8,\"out_channels\":12,\"num_layers\":3},"
            + "{\"block\":\"MBConv\",\"expand_ratio\":6,\"kernel\":5,\"stride\":1,"
            + "\"input_channels\":12,\"out_channels\":20,\"num_layers\":1}]}";
    EffnetEncoderConfig c = EffnetEncoderConfig.fromJson(JSON.readTree(json));
    assertEquals(8, c.cLatent());
    assertEquals(96, c.backbone().lastChannel());
    assertEquals(1e-3f, c.backbone().bnEps());
    assertEquals(BlockType.MBCONV, c.backbone().stages().get(1).block());
    assertEquals(16, c.backbone().stages().get(1).inputChannels(), "MBConv rounds to 8");
    assertEquals(4, c.backbone().stride());
  }

  @Test
  void unknownBackboneIsRejectedByName() throws Exception {
    assertThrows(
        IllegalArgumentException.class,
        () -> EfficientNetConfig.fromJson(JSON.readTree("{\"backbone\":\"resnet50\"}")));
  }

  @Test
  void tinyEncoderHasTheOfficialStride() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      EfficientNetEncoder enc =
          TinyWeights.bind(new EfficientNetEncoder(EffnetEncoderConfig.tiny()), "effnet_tiny", m);
      NDArray latents = enc.encode(m.randomUniform(0, 1, new Shape(2, 3, 64, 96)));
      assertEquals(32, enc.stride());
      assertArrayEquals(new long[] {2, 16, 2, 3}, latents.getShape().getShape());
    }
  }
}
