package io.cascadefarm.cascade.model;

import io.cascadefarm.cascade.net.clip.ClipTextConfig;
import io.cascadefarm.cascade.net.clip.ClipVisionConfig;
import io.cascadefarm.cascade.net.effnet.EffnetEncoderConfig;
import io.cascadefarm.cascade.net.previewer.PreviewerConfig;
import io.cascadefarm.cascade.net.stagea.StageAConfig;
import io.cascadefarm.cascade.net.stageb.StageBConfig;
import io.cascadefarm.cascade.net.stagec.StageCConfig;

/** The configuration of every network of one model variant. */
public record NetworkConfigs(
    StageCConfig stageC,
    StageBConfig stageB,
    StageAConfig stageA,
    PreviewerConfig previewer,
    EffnetEncoderConfig effnet,
    ClipTextConfig text,
    ClipVisionConfig vision) {

  /** The official Stage C 3.6B / Stage B 1.5B ({@code big}) or 1B / 700M ({@code lite}). */
  public static NetworkConfigs official(boolean lite) {
    return new NetworkConfigs(
        lite ? StageCConfig.lite() : StageCConfig.big(),
        lite ? StageBConfig.lite() : StageBConfig.big(),
        StageAConfig.official(),
        PreviewerConfig.official(),
        EffnetEncoderConfig.official(),
        ClipTextConfig.big(),
        ClipVisionConfig.big());
  }

  /** Tiny dimensions everywhere (CLIP widths match the tiny Stage C/B conditioning sizes). */
  /**
   * These configs with Stage A's latent scale replaced (a diffusers vqgan's {@code scale_factor}).
   */
  public NetworkConfigs withStageAScale(float scale) {
    var a = stageA();
    return new NetworkConfigs(
        stageC(),
        stageB(),
        new io.cascadefarm.cascade.net.stagea.StageAConfig(
            a.levels(), a.bottleneckBlocks(), a.cHidden(), a.cLatent(), a.codebookSize(), scale),
        previewer(),
        effnet(),
        text(),
        vision());
  }

  public static NetworkConfigs tiny() {
    return new NetworkConfigs(
        StageCConfig.tiny(),
        StageBConfig.tiny(),
        StageAConfig.tiny(),
        PreviewerConfig.tiny(),
        EffnetEncoderConfig.tiny(),
        ClipTextConfig.tiny(TinyTokenizerFiles.VOCAB_SIZE),
        ClipVisionConfig.tiny());
  }
}
