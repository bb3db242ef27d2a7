package io.cascadefarm.cascade.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cascade.net.common.UNetSpec;
import io.cascadefarm.cascade.net.stageb.StageB;
import io.cascadefarm.cascade.net.stageb.StageBConfig;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.net.stagec.StageCConfig;

/**
 * The official constructor kwargs of a bench case's network ({@code StageC(**kwargs)}, {@code
 * StageB(**kwargs)}), written from the port's config record so that both sides of {@code farm bench
 * net --official} build exactly the same network. Dropout is 0 (both sides run inference).
 */
public final class OfficialKwargs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OfficialKwargs() {}

  /** One-line JSON kwargs for the case's network; throws for networks other than Stage C/B. */
  public static String of(BenchCase c) {
    if (c.module() instanceof StageC s) {
      return stageC(s.config()).toString();
    }
    if (c.module() instanceof StageB b) {
      return stageB(b.config()).toString();
    }
    throw new IllegalArgumentException(
        "case " + c.name() + ": only Stage C and Stage B cases have an official counterpart");
  }

  static ObjectNode stageC(StageCConfig c) {
    ObjectNode o = unet(c.unet());
    o.put("c_in", c.cIn());
    o.put("c_out", c.cOut());
    o.put("patch_size", c.patchSize());
    o.put("c_clip_text", c.cClipText());
    o.put("c_clip_text_pooled", c.cClipTextPooled());
    o.put("c_clip_img", c.cClipImg());
    o.put("c_clip_seq", c.cClipSeq());
    ArrayNode sw = o.putArray("switch_level");
    for (boolean b : c.switchLevel()) {
      sw.add(b);
    }
    return o;
  }

  static ObjectNode stageB(StageBConfig c) {
    ObjectNode o = unet(c.unet());
    o.put("c_in", c.cIn());
    o.put("c_out", c.cOut());
    o.put("patch_size", c.patchSize());
    o.put("c_clip", c.cClip());
    o.put("c_clip_seq", c.cClipSeq());
    o.put("c_effnet", c.cEffnet());
    o.put("c_pixels", c.cPixels());
    return o;
  }

  private static ObjectNode unet(UNetSpec s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("c_r", s.cR());
    o.put("c_cond", s.cCond());
    ints(o.putArray("c_hidden"), s.cHidden());
    ints(o.putArray("nhead"), s.nhead());
    ArrayNode blocks = o.putArray("blocks");
    for (int[] row : s.blocks()) {
      ints(blocks.addArray(), row);
    }
    if (s.blockRepeat() != null) {
      ArrayNode rep = o.putArray("block_repeat");
      for (int[] row : s.blockRepeat()) {
        ints(rep.addArray(), row);
      }
    }
    ArrayNode levels = o.putArray("level_config");
    s.levelConfig().forEach(levels::add);
    o.put("kernel_size", s.kernelSize());
    // the official constructors take one self_attn flag for all levels
    boolean all = true;
    for (boolean b : s.selfAttn()) {
      all &= b;
    }
    o.put("self_attn", all);
    ArrayNode dropout = o.putArray("dropout");
    for (int i = 0; i < s.levels(); i++) {
      dropout.add(0);
    }
    ArrayNode t = o.putArray("t_conds");
    s.tConds().forEach(t::add);
    return o;
  }

  private static void ints(ArrayNode a, int[] values) {
    for (int v : values) {
      a.add(v);
    }
  }
}
