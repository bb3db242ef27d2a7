package io.cascadefarm.cascade.net.stageb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.net.common.ConfigJson;
import io.cascadefarm.cascade.net.common.UNetSpec;
import java.util.List;

/**
 * StageB constructor kwargs. Presets: {@link #big()} (official "3B" = 1.5B), {@link #lite()}
 * (700M), {@link #tiny()}; {@link #fromJson} reads a fixture/official config.
 */
public record StageBConfig(
    int cIn,
    int cOut,
    int patchSize,
    int cClip,
    int cClipSeq,
    int cEffnet,
    int cPixels,
    UNetSpec unet) {

  /** Parses constructor kwargs (defaults = the official constructor defaults). */
  public static StageBConfig fromJson(JsonNode node) {
    ConfigJson c = new ConfigJson(node, "StageB");
    return new StageBConfig(
        c.integer("c_in", 4),
        c.integer("c_out", 4),
        c.integer("patch_size", 2),
        c.integer("c_clip", 1280),
        c.integer("c_clip_seq", 4),
        c.integer("c_effnet", 16),
        c.integer("c_pixels", 3),
        UNetSpec.from(c));
  }

  private static StageBConfig preset(String json) {
    try {
      return fromJson(new ObjectMapper().readTree(json));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Official big decoder (constructor defaults, 1.56B parameters). */
  public static StageBConfig big() {
    return preset(
        """
        {"c_cond":1280,"c_hidden":[320,640,1280,1280],"nhead":[-1,-1,20,20],"blocks":[[2,6,28,6],[6,28,6,2]],
         "block_repeat":[[1,1,1,1],[3,3,2,2]],"level_config":["CT","CT","CTA","CTA"],"t_conds":["sca"]}""");
  }

  /** Official lite decoder (700M). */
  public static StageBConfig lite() {
    return preset(
        """
        {"c_cond":1280,"c_hidden":[320,576,1152,1152],"nhead":[-1,9,18,18],"blocks":[[2,4,14,4],[4,14,4,2]],
         "block_repeat":[[1,1,1,1],[2,2,2,2]],"level_config":["CT","CT","CTA","CTA"],"t_conds":["sca"]}""");
  }

  /** A tiny decoder with the official structure (CPU forward in milliseconds). */
  public static StageBConfig tiny() {
    return preset(
        """
        {"c_r":16,"c_cond":32,"c_hidden":[16,32,32,32],"nhead":[-1,-1,2,2],"blocks":[[1,1,1,1],[1,1,1,1]],
         "block_repeat":[[1,1,1,1],[2,2,1,1]],"level_config":["CT","CT","CTA","CTA"],"c_clip":32,"t_conds":["sca"]}""");
  }

  public List<String> tConds() {
    return unet.tConds();
  }
}
