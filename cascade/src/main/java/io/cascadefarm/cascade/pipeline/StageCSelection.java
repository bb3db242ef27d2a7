package io.cascadefarm.cascade.pipeline;

import io.cascadefarm.cascade.diffusion.CascadeDiffusionModels;
import io.cascadefarm.cascade.diffusion.DiffusionModel;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.net.lora.LoraApplication;
import io.cascadefarm.cascade.net.lora.TrainToken;
import io.cascadefarm.cascade.net.stagec.StageC;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The text encoder and Stage C a batch runs with: the resident base networks, or, when the batch
 * has LoRAs, the LoRA-merged Stage C copy and the text encoder with the LoRAs' tokens (both cached
 * by the model). A {@link LoraRef#name()} is the path of the LoRA safetensors file. {@code net} is
 * the raw network (for ControlNet injection), null if the model does not expose it.
 */
record StageCSelection(ClipTextEncoder text, DiffusionModel stageC, StageC net) {

  static StageCSelection of(CascadeModels models, List<LoraRef> loras) {
    if (loras.isEmpty()) {
      StageC base = models.stageCLoras() == null ? null : models.stageCLoras().network(List.of());
      return new StageCSelection(models.text(), models.stageC(), base);
    }
    if (models.stageCLoras() == null) {
      throw new UnsupportedOperationException("model " + models.name() + " cannot apply LoRAs");
    }
    List<LoraApplication> apps = applications(loras, models.text());
    StageC merged = models.stageCLoras().network(apps);
    return new StageCSelection(
        models.stageCLoras().textEncoder(models.text(), apps),
        CascadeDiffusionModels.stageC(merged),
        merged);
  }

  /**
   * The LoRA applications of a batch. Their {@code train_tokens} are read and evaluated here with a
   * linear-time engine ({@link LoraTrainTokens}) and passed explicitly, so the file's metadata
   * never reaches a backtracking regex engine.
   */
  static List<LoraApplication> applications(List<LoraRef> loras, ClipTextEncoder text) {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < loras.size(); i++) {
      Path file = Path.of(loras.get(i).name());
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("loras[" + i + "].name: LoRA file not found: " + file);
      }
      files.add(file.toAbsolutePath().normalize());
    }
    List<List<TrainToken>> tokens = LoraTrainTokens.of(text.tokenizer(), files);
    List<LoraApplication> apps = new ArrayList<>();
    for (int i = 0; i < loras.size(); i++) {
      apps.add(new LoraApplication(files.get(i), (float) loras.get(i).strength(), tokens.get(i)));
    }
    return apps;
  }
}
