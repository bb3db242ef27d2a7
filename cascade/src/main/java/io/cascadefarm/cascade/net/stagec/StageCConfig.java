package io.cascadefarm.cascade.net.stagec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.net.common.ConfigJson;
import io.cascadefarm.cascade.net.common.UNetSpec;
import java.util.List;

/**
 * StageC constructor kwargs. Presets: {@link #big()} (3.6B), {@link #lite()} (1B), {@link #tiny()}
 * (test-sized, fast on CPU); {@link #fromJson} reads a fixture/official config.
 */
public record StageCConfig(
    int cIn,
    int cOut,
    int patchSize,
    int cClipText,
    int cClipTextPooled,
    int cClipImg,
    int cClipSeq,
    boolean[] switchLevel,
    UNetSpec unet) {

  /** Parses constructor kwargs (defaults = the official constructor defaults). */
  public static StageCConfig fromJson(JsonNode node) {
    ConfigJson c = new ConfigJson(node, "StageC");
    UNetSpec spec = UNetSpec.from(c);
    return new StageCConfig(
        c.integer("c_in", 16),
        c.integer("c_out", 16),
        c.integer("patch_size", 1),
        c.integer("c_clip_text", 1280),
        c.integer("c_clip_text_pooled", 1280),
        c.integer("c_clip_img", 768),
        c.integer("c_clip_seq", 4),
        c.booleans("switch_level", Math.max(1, spec.levels() - 1), false),
        spec);
  }

  private static StageCConfig preset(String json) {
    try {
      return fromJson(new ObjectMapper().readTree(json));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Official 3.6B prior (constructor defaults). */
  public static StageCConfig big() {
    return preset(
        """
        {"c_cond":2048,"c_hidden":[2048,2048],"nhead":[32,32],"blocks":[[8,24],[24,8]],
         "block_repeat":[[1,1],[1,1]],"level_config":["CTA","CTA"],"t_conds":["sca","crp"],"switch_level":[false]}""");
  }

  /** Official 1B prior ({@code model_version: 1B}). */
  public static StageCConfig lite() {
    return preset(
        """
        {"c_cond":1536,"c_hidden":[1536,1536],"nhead":[24,24],"blocks":[[4,12],[12,4]],
         "block_repeat":[[1,1],[1,1]],"level_config":["CTA","CTA"],"t_conds":["sca","crp"],"switch_level":[false]}""");
  }

  /** A tiny prior with the official structure (CPU forward in milliseconds). */
  public static StageCConfig tiny() {
    return preset(
        """
        {"c_in":16,"c_out":16,"c_r":16,"c_cond":32,"c_hidden":[32,32],"nhead":[2,2],"blocks":[[1,2],[2,1]],
         "block_repeat":[[1,1],[1,1]],"level_config":["CTA","CTA"],"c_clip_text":32,"c_clip_text_pooled":32,
         "c_clip_img":24,"c_clip_seq":4,"t_conds":["sca","crp"],"switch_level":[false]}""");
  }

  /** The t-condition names ({@code sca}, {@code crp}). */
  public List<String> tConds() {
    return unet.tConds();
  }
}
