package io.cascadefarm.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.train.AdaptiveLossWeight;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.ObjectStore;
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
 * (the session's tensors under their names: a LoRA's trained tensors under their LoRA-file names, a
 * fine-tuning's weights under their official names and its EMA copy under {@code ema.<name>}; the
 * AdamW moments under {@code optim.<name>.*}) and then {@code train/<job>/latest.json} naming it
 * with the counters, the loss EMA, the adaptive loss weight's buckets (when used) and the data
 * stream's queue state. The JSON is written last, so a worker killed mid-write leaves the previous
 * checkpoint in force; the older tensors file is deleted after the new JSON is in place. Tensors go
 * through a local temporary file, streamed to and from the store (a fine-tuning checkpoint is
 * several times the model's size).
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

  /** Saves the session's state after {@code t.updates()} updates. */
  void save(UUID job, TrainingSession t, double emaLoss, TrainingData data) {
    SafetensorsWriter w = new SafetensorsWriter();
    for (Map.Entry<String, NDArray> e : t.checkpointTensors().entrySet()) {
      w.addF32(e.getKey(), e.getValue().getShape().getShape(), floats(e.getValue()));
    }
    for (Map.Entry<String, NDArray> e : t.optimizer().state().entrySet()) {
      w.addF32(
          "optim." + e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
    }
    String key = tensorsKey(job, t.updates());
    try {
      Path tmp = Files.createTempFile("farm-ckpt", ".safetensors");
      try {
        w.write(tmp);
        objects.putFile(key, tmp, "application/octet-stream");
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Optional<JsonNode> previous = latest(job);
    ObjectNode s = Json.mapper().createObjectNode();
    s.put("tensors", key);
    s.put("iteration", t.iteration());
    s.put("updates", t.updates());
    s.put("optimizer_step", t.optimizer().step());
    s.put("ema_loss", emaLoss);
    if (t.lossWeight() instanceof AdaptiveLossWeight a) {
      ObjectNode al = s.putObject("adaptive_loss");
      ArrayNode ranges = al.putArray("bucket_ranges");
      for (float v : a.bucketRanges()) {
        ranges.add(v);
      }
      ArrayNode losses = al.putArray("bucket_losses");
      for (float v : a.bucketLosses()) {
        losses.add(v);
      }
    }
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
  Optional<Double> restore(UUID job, TrainingSession t, TrainingData data, NDManager m) {
    Optional<JsonNode> latest = latest(job);
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    JsonNode s = latest.get();
    try {
      Path tmp = Files.createTempFile("farm-ckpt", ".safetensors");
      try {
        if (!objects.getFile(s.get("tensors").asText(), tmp)) {
          throw new IllegalStateException("checkpoint tensors missing");
        }
        try (SafetensorsReader r = SafetensorsReader.open(tmp)) {
          for (String name : java.util.List.copyOf(t.checkpointTensors().keySet())) {
            t.restoreTensor(name, array(r, name, m));
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
    JsonNode al = s.get("adaptive_loss");
    if (al != null) {
      t.lossWeight(
          new AdaptiveLossWeight(floats(al.get("bucket_ranges")), floats(al.get("bucket_losses"))));
    }
    data.restore(s.get("data"));
    return Optional.of(s.get("ema_loss").asDouble());
  }

  private static NDArray array(SafetensorsReader r, String key, NDManager m) {
    return m.create(r.readFloats(key), new Shape(r.info(key).shape()));
  }

  private static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }

  /** A detached float32 copy of {@code a} (a trained leaf or a plain array). */
  private static float[] floats(NDArray a) {
    NDArray d = a.stopGradient();
    try {
      return d.toFloatArray();
    } finally {
      if (d != a) {
        d.close();
      }
    }
  }

  /** Deletes the job's checkpoint objects (after success). */
  public void clear(UUID job) {
    for (String k : objects.list("train/" + job + "/")) {
      objects.delete(k);
    }
  }
}
