package io.cascadefarm.cascade.net.stagec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.nn.NetworkCatalog;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Config paths the dev fixtures do not exercise (switch_level resampling, down repeats, F blocks,
 * odd c_r, patch_size 2, per-level self_attn): keys follow the official naming and the forward
 * handles odd sizes.
 */
class StageCConfigVariantsTest {

  @Test
  void unusualConfigBuildsAndRuns() throws Exception {
    StageCConfig config =
        StageCConfig.fromJson(
            new ObjectMapper()
                .readTree(
                    """
        {"c_in":4,"c_out":4,"c_r":15,"patch_size":2,"c_cond":16,"c_hidden":[16,24],"nhead":[2,3],
         "blocks":[[1,1],[1,1]],"block_repeat":[[2,1],[1,2]],"level_config":["CTA","CTF"],
         "c_clip_text":8,"c_clip_text_pooled":8,"c_clip_img":6,"c_clip_seq":2,"self_attn":[true,false],
         "t_conds":["sca"],"switch_level":[true],"dropout":0.1}"""));
    StageC net = new StageC(config);
    List<String> keys = NetworkCatalog.keyLines(net);
    assertTrue(keys.contains("down_repeat_mappers.0.0.weight\t[16,16,1,1]"), keys.toString());
    assertTrue(keys.contains("up_repeat_mappers.1.0.weight\t[16,16,1,1]"), keys.toString());
    assertTrue(keys.contains("down_downscalers.1.1.blocks.0.weight\t[24,16,1,1]"), keys.toString());
    assertTrue(keys.contains("up_upscalers.0.1.blocks.1.weight\t[16,24,1,1]"), keys.toString());
    assertTrue(keys.contains("up_blocks.1.0.channelwise.0.weight\t[64,32]"), keys.toString());
    assertTrue(keys.contains("down_blocks.1.2.channelwise.4.weight\t[24,96]"), keys.toString());
    assertTrue(keys.contains("embedding.1.weight\t[16,16,1,1]"), keys.toString());
    assertTrue(keys.contains("down_blocks.0.1.mapper_sca.weight\t[32,15]"), keys.toString());
    try (NDManager model = NDManager.newBaseManager();
        NDManager call = NDManager.newBaseManager()) {
      WeightBinder.bind(net, StageCTinyTestSupport.random(net), model);
      NDArray y =
          net.forward(
              call.randomNormal(new Shape(1, 4, 14, 10)),
              call.create(new float[] {0.7f}),
              call.randomNormal(new Shape(1, 3, 8)),
              call.randomNormal(new Shape(1, 8)),
              call.randomNormal(new Shape(1, 6)),
              null,
              null);
      assertArrayEquals(new long[] {1, 4, 14, 10}, y.getShape().getShape());
      assertFalse(Float.isNaN(y.sum().getFloat()));
    }
  }
}
