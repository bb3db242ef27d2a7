package io.cascadefarm.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.train.LoraTrainer;
import io.cascadefarm.cascade.train.Trainable;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Checkpoints of a training job in the object store: {@code train/<job>/ckpt-<updates>.safetensors}
 * (the trained tensors under their LoRA-file names, the AdamW moments under {@code optim.<name>.*})
 * and then {@code train/<job>/latest.json} naming it with the counters, the loss EMA and the data
 * stream's queue state. The JSON is written last, so a worker killed mid-write leaves the previous
 * checkpoint in force; the older tensors file is deleted after the new JSON is in place.
 */
public final class Checkpoints {
  private final ObjectStore objects;

  public Checkpoints(ObjectStore objects) {
    this.objects = objects;
  }

  static String latestKey(UUID job) {
    return "train/" + job + "/latest.json";
  }

  static String tensorsKey(UUID job, long updates) {
    return "train/" + job + "/ckpt-" + updates + ".safetensors";
  }

  /** Saves the trainer's state after {@code updates} updates. */
  public void save(UUID job, LoraTrainer t, double emaLoss, TrainingData data) {
    SafetensorsWriter w = new SafetensorsWriter();
    for (Trainable p : t.parameters()) {
      w.addF32(p.name(), p.value().getShape().getShape(), p.toFloatArray());
    }
    for (Map.Entry<String, NDArray> e : t.optimizer().state().entrySet()) {
      w.addF32(
          "optim." + e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      w.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String key = tensorsKey(job, t.updates());
    objects.put(key, bytes.toByteArray(), "application/octet-stream");
    Optional<JsonNode> previous = latest(job);
    ObjectNode s = Json.mapper().createObjectNode();
    s.put("tensors", key);
    s.put("iteration", t.iteration());
    s.put("updates", t.updates());
    s.put("optimizer_step", t.optimizer().step());
    s.put("ema_loss", emaLoss);
    s.set("data", data.state());
    objects.put(latestKey(job), Json.toBytes(s), "application/json");
    previous
        .map(p -> p.get("tensors").asText())
        .filter(k -> !k.equals(key))
        .ifPresent(objects::delete);
  }

  /** The last checkpoint's JSON, if any. */
  public Optional<JsonNode> latest(UUID job) {
    return objects
        .get(latestKey(job))
        .map(
            b -> {
              try {
                return Json.mapper().readTree(b);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  /**
   * Restores the last checkpoint into {@code t} and {@code data}; returns the loss EMA, or empty
   * when there is none (a fresh start).
   */
  public Optional<Double> restore(UUID job, LoraTrainer t, TrainingData data, NDManager m) {
    Optional<JsonNode> latest = latest(job);
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    JsonNode s = latest.get();
    byte[] tensors =
        objects
            .get(s.get("tensors").asText())
            .orElseThrow(() -> new IllegalStateException("checkpoint tensors missing"));
    try {
      Path tmp = Files.createTempFile("farm-ckpt", ".safetensors");
      try {
        Files.write(tmp, tensors);
        try (SafetensorsReader r = SafetensorsReader.open(tmp)) {
          for (Trainable p : t.parameters()) {
            p.replace(array(r, p.name(), m));
          }
          Map<String, NDArray> optim = new LinkedHashMap<>();
          for (String k : r.tensors().keySet()) {
            if (k.startsWith("optim.")) {
              optim.put(k.substring("optim.".length()), array(r, k, m));
            }
          }
          t.optimizer().load(optim, s.get("optimizer_step").asLong());
          optim.values().forEach(NDArray::close);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    t.position(s.get("iteration").asLong(), s.get("updates").asLong());
    data.restore(s.get("data"));
    return Optional.of(s.get("ema_loss").asDouble());
  }

  private static NDArray array(SafetensorsReader r, String key, NDManager m) {
    return m.create(r.readFloats(key), new Shape(r.info(key).shape()));
  }

  /** Deletes the job's checkpoint objects (after success). */
  public void clear(UUID job) {
    for (String k : objects.list("train/" + job + "/")) {
      objects.delete(k);
    }
  }
}
