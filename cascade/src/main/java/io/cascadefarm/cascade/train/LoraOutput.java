package io.cascadefarm.cascade.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.net.lora.TrainToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a trained LoRA in the layout of the official {@code lora} state dict that {@code
 * train_c_lora.py} saves: {@code embeddings.embeddings} (n, width) and {@code embeddings.indices}
 * (int64; new tokens numbered from the base vocabulary size in {@code train_tokens} order), then
 * {@code weights.<k>.lora_down} / {@code lora_up}. The {@code __metadata__} carries {@code
 * train_tokens} (the entries as JSON pairs, which the farm's loader needs to re-add new tokens) and
 * {@code module_filters}, {@code rank}, plus any {@code extra} entries.
 */
public final class LoraOutput {
  private LoraOutput() {}

  /** Writes {@code trainer}'s current LoRA to {@code path}. */
  public static void write(LoraTrainer trainer, Map<String, String> extra, Path path)
      throws IOException {
    SafetensorsWriter w = new SafetensorsWriter();
    ReTokenDeltas rt = trainer.retoken();
    if (!rt.isEmpty()) {
      long[] idx = rt.indices();
      float[] rows = rt.delta().toFloatArray();
      w.addF32("embeddings.embeddings", new long[] {idx.length, rows.length / idx.length}, rows);
      w.addI64("embeddings.indices", new long[] {idx.length}, idx);
    }
    int k = 0;
    for (LoraWeights.Pair p : trainer.lora().pairs()) {
      w.addF32(
          "weights." + k + ".lora_down",
          p.down().value().getShape().getShape(),
          p.down().toFloatArray());
      w.addF32(
          "weights." + k + ".lora_up", p.up().value().getShape().getShape(), p.up().toFloatArray());
      k++;
    }
    ObjectMapper json = new ObjectMapper();
    ArrayNode tokens = json.createArrayNode();
    for (TrainToken t : trainer.settings().trainTokens()) {
      ArrayNode pair = tokens.addArray().add(t.token());
      if (t.initRegex() == null) {
        pair.addNull();
      } else {
        pair.add(t.initRegex());
      }
    }
    w.metadata("train_tokens", json.writeValueAsString(tokens));
    w.metadata("module_filters", json.writeValueAsString(trainer.settings().moduleFilters()));
    w.metadata("rank", Integer.toString(trainer.settings().rank()));
    extra.forEach(w::metadata);
    w.write(path);
  }
}
