package io.cascadefarm.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.json.Json;
import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * As {@link TrainingKillTest}, for full fine-tuning: a worker process SIGKILLed while it runs a
 * {@code finetune_c} job with EMA, after its first checkpoints (weights, EMA copy, AdamW moments):
 * another worker resumes from the last checkpoint (the step counter continues from there) and the
 * job succeeds once, with the model {@code default/<name>} registered in the object store.
 */
class FinetuneKillTest {
  private static FaultFarm farm;

  @BeforeAll
  static void farm() {
    farm = FaultFarm.shared();
    farm.workers.ensure(3);
  }

  @AfterAll
  static void heal() {
    farm.workers.ensure(3);
  }

  @Test
  void sigkillAfterACheckpointResumesFromItOnAnotherWorker() throws Exception {
    ObjectNode job = Json.mapper().createObjectNode();
    job.put("kind", "finetune_c").put("model", "tiny").put("model_name", "killed-ft");
    ArrayNode images = job.putObject("dataset").putArray("images");
    for (int i = 0; i < 8; i++) {
      images
          .addObject()
          .put("image", TrainingImages.upload(farm, i))
          .put("caption", "a photo " + i);
    }
    job.put("steps", 60).put("batch_size", 2).put("grad_accum_steps", 1).put("save_every", 4);
    job.put("image_size", 128).put("lr", 1e-3).put("seed", 3);
    job.put("ema_iters", 2).put("ema_start_iters", 4);
    FarmHttp.Answer a = farm.http().send("POST", "/v1/jobs", job.toString());
    assertEquals(202, a.status(), a.body());
    String id = a.json().path("id").asText();

    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
    JsonNode j = get(id);
    while (!(j.path("status").asText().equals("running")
        && j.path("progress").path("step").asInt() >= 9)) {
      if (System.nanoTime() > deadline || j.path("status").asText().matches("succeeded|failed")) {
        fail("fine-tuning did not reach update 9 while running: " + j);
      }
      Thread.sleep(50);
      j = get(id);
    }
    String first = j.path("worker").asText();
    int stepAtKill = j.path("progress").path("step").asInt();
    farm.workers.kill(first);
    System.out.printf("[faults] SIGKILLed %s at fine-tuning update %d%n", first, stepAtKill);

    j = get(id);
    while (!j.path("status").asText().matches("succeeded|failed|cancelled")) {
      if (System.nanoTime() > deadline) {
        fail("the killed fine-tuning job did not finish: " + j);
      }
      Thread.sleep(200);
      j = get(id);
    }
    assertEquals("succeeded", j.path("status").asText(), j::toString);
    String second = j.path("worker").asText();
    assertNotEquals(first, second, "finished by another worker");
    assertEquals(60, j.path("result").path("steps").asInt());
    assertEquals("default/killed-ft", j.path("result").path("model").path("name").asText());
    assertEquals(2, j.path("attempts").asInt(), j::toString);

    String log = Files.readString(farm.profile.dir().resolve("logs").resolve(second + ".log"));
    Matcher m =
        Pattern.compile("job " + id + ": resuming from the checkpoint after update (\\d+)")
            .matcher(log);
    assertTrue(m.find(), "the second worker resumed from a checkpoint (log of " + second + ")");
    int resumedAt = Integer.parseInt(m.group(1));
    System.out.printf(
        "[faults] fine-tuning resumed on %s from the checkpoint after update %d (killed at %d)%n",
        second, resumedAt, stepAtKill);
    assertTrue(resumedAt >= 8 && resumedAt <= stepAtKill, "resumed at " + resumedAt);
    assertTrue(farm.objects.exists("models/default/killed-ft.safetensors"));
    assertTrue(farm.objects.exists("models/default/killed-ft.json"));
  }

  private static JsonNode get(String id) {
    return farm.http().send("GET", "/v1/jobs/" + id, null).json();
  }
}
