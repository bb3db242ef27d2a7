package io.cascadefarm.common.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The train_lora job: its fields, defaults from the official LoRA config, and its rules. */
class TrainLoraContractTest {
  static final String IMG = "uploads/" + "a".repeat(64) + ".png";

  static List<Violation> read(String json, JobParams[] out) throws Exception {
    List<Violation> problems = new ArrayList<>();
    try (JsonParser p = Json.mapper().createParser(json)) {
      p.nextToken();
      JobParams params =
          JobContract.read(p, "", JobLimits.CEILING, (f, m) -> problems.add(new Violation(f, m)));
      JobContract.checkRules(params, "", (f, m) -> problems.add(new Violation(f, m)));
      out[0] = params;
    }
    return problems;
  }

  @Test
  void theDocumentedBodyIsAcceptedAndGetsTheOfficialDefaults() throws Exception {
    JobParams[] p = new JobParams[1];
    List<Violation> v =
        read(
            "{\"kind\":\"train_lora\",\"model\":\"tiny\",\"lora_name\":\"fernando\","
                + "\"dataset\":{\"images\":[{\"image\":\""
                + IMG
                + "\",\"caption\":\"a dog\"}]},"
                + "\"train_tokens\":[[\"[fernando]\",\"^dog</w>\"],[\"^cat\",null]]}",
            p);
    assertEquals(List.of(), v);
    JobParams r = JobDefaults.resolve(p[0], () -> 7L);
    assertEquals(JobKind.TRAIN_LORA, r.kind());
    assertEquals(4, r.rank());
    assertEquals(List.of(".attn"), r.moduleFilters());
    assertEquals(1e-4, r.lr());
    assertEquals(32, r.batchSize());
    assertEquals(4, r.gradAccumSteps());
    assertEquals(1, r.warmupUpdates());
    assertEquals(100, r.saveEvery());
    assertEquals(10_000, r.steps());
    assertEquals(768, r.imageSize());
    assertEquals(java.util.Arrays.asList("^cat", null), r.trainTokens().get(1));
    assertEquals(List.of(), JobContract.check(r, JobLimits.CEILING), "the worker accepts it too");
    // round trip through the stored JSON
    JobParams back = Json.mapper().readValue(Json.toBytes(r), JobParams.class);
    assertEquals(r, back);
  }

  @Test
  void trainingJobsAreRoutedToTheTrainingLaneByTheirBatchKey() {
    JobParams t =
        JobDefaults.resolve(
            JobParams.builder()
                .kind(JobKind.TRAIN_LORA)
                .loraName("x")
                .dataset(
                    new io.cascadefarm.common.job.TrainDataset(
                        List.of(new io.cascadefarm.common.job.TrainImage(IMG, "")), null))
                .build(),
            () -> 7L);
    assertTrue(io.cascadefarm.common.topic.Topics.isTraining(t.batchKey()), t.batchKey());
    for (JobParams r : new RandomJobs(5, JobLimits.CEILING).next(200)) {
      assertTrue(!io.cascadefarm.common.topic.Topics.isTraining(r.batchKey()), r.batchKey());
    }
  }

  @Test
  void renderJobsCarryNoTrainingFields() {
    JobParams r = JobDefaults.resolve(JobParams.textToImage("a fox"), () -> 7L);
    assertNull(r.rank());
    assertNull(r.dataset());
    assertNull(r.moduleFilters());
    assertTrue(!new String(Json.toBytes(r)).contains("dataset"));
    JobParams bad = JobParams.textToImage("a fox").toBuilder().rank(4).build();
    assertEquals(
        List.of(new Violation("rank", "is only used by kind train_lora")),
        JobContract.check(bad, JobLimits.CEILING));
  }

  @Test
  void rulesNameTheField() throws Exception {
    JobParams[] p = new JobParams[1];
    assertTrue(
        read("{\"kind\":\"train_lora\",\"dataset\":{\"images\":[{\"image\":\"" + IMG + "\"}]}}", p)
            .contains(new Violation("lora_name", "is required for kind train_lora")));
    assertTrue(
        read("{\"kind\":\"train_lora\",\"lora_name\":\"x\"}", p).stream()
            .anyMatch(v -> v.field().equals("dataset")));
    assertTrue(
        read(
                "{\"kind\":\"train_lora\",\"lora_name\":\"x\",\"dataset\":{\"images\":[{\"image\":\""
                    + IMG
                    + "\"}],\"archive\":\"uploads/"
                    + "b".repeat(64)
                    + ".zip\"}}",
                p)
            .stream()
            .anyMatch(v -> v.field().equals("dataset")));
    List<Violation> v =
        read(
            "{\"kind\":\"train_lora\",\"lora_name\":\"x\",\"batch_size\":6,\"grad_accum_steps\":4,"
                + "\"train_tokens\":[[\"(a\",null],[\"[t]\",\"(?P<n>\\\\1)\"]],"
                + "\"dataset\":{\"archive\":\"uploads/"
                + "b".repeat(64)
                + ".tar\"}}",
            p);
    assertTrue(v.stream().anyMatch(x -> x.field().equals("batch_size")), v.toString());
    assertTrue(v.stream().anyMatch(x -> x.field().equals("train_tokens[0][0]")), v.toString());
    assertTrue(v.stream().anyMatch(x -> x.field().equals("train_tokens[1][1]")), v.toString());
  }
}
