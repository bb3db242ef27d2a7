package io.cascadefarm.cascade.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.net.stageb.StageBConfig;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Mid-size configs between tiny and lite: the official block structure with a third of lite's width
 * (Stage C) or a fifth of its channels (Stage B), and the official conditioning widths.
 */
final class MidConfigs {
  private MidConfigs() {}

  static StageCConfig stageC() {
    return StageCConfig.fromJson(
        read(
            """
            {"c_cond":512,"c_hidden":[512,512],"nhead":[8,8],"blocks":[[2,6],[6,2]],
             "block_repeat":[[1,1],[1,1]],"level_config":["CTA","CTA"],"t_conds":["sca","crp"],
             "switch_level":[false]}"""));
  }

  static StageBConfig stageB() {
    return StageBConfig.fromJson(
        read(
            """
            {"c_cond":1280,"c_hidden":[64,128,256,256],"nhead":[-1,-1,4,4],
             "blocks":[[1,2,4,2],[2,4,2,1]],"block_repeat":[[1,1,1,1],[2,2,2,2]],
             "level_config":["CT","CT","CTA","CTA"],"t_conds":["sca"]}"""));
  }

  private static com.fasterxml.jackson.databind.JsonNode read(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
