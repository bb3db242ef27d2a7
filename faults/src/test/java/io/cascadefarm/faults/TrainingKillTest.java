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
 * A worker process SIGKILLed while it trains a {@code train_lora} job, after the job's first
 * checkpoints: the lease expires, the job goes back to the training lane, another worker claims it
 * and resumes from the last checkpoint (its log says from which update; the step counter continues
 * from there), and the job succeeds once with the LoRA registered.
 */
class TrainingKillTest {
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

  static String upload(int i) throws Exception {
    return TrainingImages.upload(farm, i);
  }

  @Test
  void sigkillAfterACheckpointResumesFromItOnAnotherWorker() throws Exception {
    ObjectNode job = Json.mapper().createObjectNode();
    job.put("kind", "train_lora").put("model", "tiny").put("lora_name", "killed-and-resumed");
    ArrayNode images = job.putObject("dataset").putArray("images");
    for (int i = 0; i < 8; i++) {
      images.addObject().put("image", upload(i)).put("caption", "a photo of [kr] " + i);
    }
    job.put("steps", 60).put("batch_size", 2).put("grad_accum_steps", 1).put("save_every", 4);
    job.put("image_size", 128).put("lr", 1e-3).put("seed", 3);
    job.putArray("train_tokens").addArray().add("[kr]").add("^a");
    FarmHttp.Answer a = farm.http().send("POST", "/v1/jobs", job.toString());
    assertEquals(202, a.status(), a.body());
    String id = a.json().path("id").asText();

    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    JsonNode j = get(id);
    while (!(j.path("status").asText().equals("running")
        && j.path("progress").path("step").asInt() >= 9)) {
      if (System.nanoTime() > deadline || j.path("status").asText().matches("succeeded|failed")) {
        fail("training did not reach update 9 while running: " + j);
      }
      Thread.sleep(50);
      j = get(id);
    }
    String first = j.path("worker").asText();
    int stepAtKill = j.path("progress").path("step").asInt();
    farm.workers.kill(first);
    System.out.printf("[faults] SIGKILLed %s at training update %d%n", first, stepAtKill);

    j = get(id);
    while (!j.path("status").asText().matches("succeeded|failed|cancelled")) {
      if (System.nanoTime() > deadline) {
        fail("the killed training job did not finish: " + j);
      }
      Thread.sleep(200);
      j = get(id);
    }
    assertEquals("succeeded", j.path("status").asText(), j::toString);
    String second = j.path("worker").asText();
    assertNotEquals(first, second, "finished by another worker");
    assertEquals(60, j.path("result").path("steps").asInt());
    assertEquals("killed-and-resumed", j.path("result").path("lora").path("name").asText());
    assertEquals(2, j.path("attempts").asInt(), j::toString);

    String log = Files.readString(farm.profile.dir().resolve("logs").resolve(second + ".log"));
    Matcher m =
        Pattern.compile("job " + id + ": resuming from the checkpoint after update (\\d+)")
            .matcher(log);
    assertTrue(m.find(), "the second worker resumed from a checkpoint (log of " + second + ")");
    int resumedAt = Integer.parseInt(m.group(1));
    System.out.printf(
        "[faults] training resumed on %s from the checkpoint after update %d (killed at %d)%n",
        second, resumedAt, stepAtKill);
    assertTrue(resumedAt >= 8 && resumedAt <= stepAtKill, "resumed at " + resumedAt);
    assertTrue(farm.objects.exists("loras/killed-and-resumed.safetensors"));
  }

  private static JsonNode get(String id) {
    return farm.http().send("GET", "/v1/jobs/" + id, null).json();
  }
}
