package io.cascadefarm.common.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The finetune_c and finetune_b jobs: defaults from the official configs per model size, their
 * rules naming the field, routing to the training lane, and fine-tuned model names in {@code
 * model}.
 */
class FinetuneContractTest {
  static final String DATASET =
      "\"dataset\":{\"images\":[{\"image\":\"" + TrainLoraContractTest.IMG + "\"}]}";

  static JobParams resolved(String json) throws Exception {
    JobParams[] p = new JobParams[1];
    List<Violation> v = TrainLoraContractTest.read(json, p);
    assertEquals(List.of(), v, json);
    JobParams r = JobDefaults.resolve(p[0], () -> 7L);
    assertEquals(List.of(), JobContract.check(r, JobLimits.CEILING), "the worker accepts it too");
    assertEquals(r, Json.mapper().readValue(Json.toBytes(r), JobParams.class));
    return r;
  }

  @Test
  void defaultsFollowTheOfficialConfigOfTheKindAndModelSize() throws Exception {
    JobParams c =
        resolved(
            "{\"kind\":\"finetune_c\",\"model\":\"lite\",\"model_name\":\"d\"," + DATASET + "}");
    assertEquals(JobKind.FINETUNE_C, c.kind());
    assertEquals(10_000, c.steps()); // finetune_c_1b.yaml
    assertEquals(1024, c.batchSize());
    assertEquals(1, c.gradAccumSteps());
    assertEquals(2000, c.saveEvery());
    assertEquals(768, c.imageSize());
    assertEquals(1e-4, c.lr());
    assertEquals(1, c.warmupUpdates());
    assertNull(c.emaIters(), "EMA is commented out in every official config");
    assertNull(c.emaBeta());
    assertNull(c.rank(), "no LoRA fields");
    assertNull(c.moduleFilters());
    JobParams big =
        resolved(
            "{\"kind\":\"finetune_c\",\"model\":\"big\",\"model_name\":\"d\"," + DATASET + "}");
    assertEquals(100_000, big.steps()); // finetune_c_3b.yaml
    assertEquals(512, big.batchSize());
    JobParams b =
        resolved(
            "{\"kind\":\"finetune_b\",\"model\":\"big\",\"model_name\":\"d\",\"ema_iters\":10,"
                + DATASET
                + "}");
    assertEquals(256, b.batchSize()); // finetune_b_3b.yaml
    assertEquals(1000, b.saveEvery());
    assertEquals(1024, b.imageSize());
    assertEquals(0.9, b.emaBeta());
    assertEquals(5000, b.emaStartIters());
    assertTrue(TrainingConfig.of(JobKind.FINETUNE_B, "tiny").adaptiveLossWeight());
    assertTrue(!TrainingConfig.of(JobKind.FINETUNE_C, "lite").adaptiveLossWeight());
    assertTrue(io.cascadefarm.common.topic.Topics.isTraining(b.batchKey()), b.batchKey());
  }

  @Test
  void rulesNameTheField() throws Exception {
    JobParams[] p = new JobParams[1];
    assertTrue(
        TrainLoraContractTest.read("{\"kind\":\"finetune_c\"," + DATASET + "}", p)
            .contains(
                new Violation(
                    "model_name",
                    "is required for kind finetune_c (the fine-tuned"
                        + " model is registered as <tenant>/<name>)")));
    assertTrue(
        TrainLoraContractTest.read("{\"kind\":\"finetune_b\",\"model_name\":\"x\"}", p).stream()
            .anyMatch(v -> v.field().equals("dataset")));
    assertTrue(
        TrainLoraContractTest.read(
                "{\"kind\":\"finetune_b\",\"model_name\":\"x\",\"lora_name\":\"y\","
                    + DATASET
                    + "}",
                p)
            .contains(new Violation("lora_name", "is only used by kind train_lora")));
    assertTrue(
        TrainLoraContractTest.read(
                "{\"kind\":\"train_lora\",\"lora_name\":\"y\",\"ema_iters\":3," + DATASET + "}", p)
            .contains(
                new Violation("ema_iters", "is only used by kinds finetune_c and finetune_b")));
    assertTrue(
        TrainLoraContractTest.read(
                "{\"kind\":\"finetune_c\",\"model_name\":\"x\",\"ema_start_iters\":3,"
                    + DATASET
                    + "}",
                p)
            .contains(new Violation("ema_start_iters", "is only used with ema_iters (EMA on)")));
    assertTrue(
        TrainLoraContractTest.read("{\"prompt\":\"a\",\"steps\":3}", p)
            .contains(
                new Violation(
                    "steps",
                    "is only used by the training kinds (train_lora, finetune_c, finetune_b)")));
  }

  @Test
  void aRenderJobMayNameAFineTunedModel() throws Exception {
    JobParams[] p = new JobParams[1];
    assertEquals(
        List.of(), TrainLoraContractTest.read("{\"prompt\":\"a\",\"model\":\"acme/dogs-1\"}", p));
    assertEquals("acme/dogs-1", p[0].model());
    List<Violation> bad =
        TrainLoraContractTest.read("{\"prompt\":\"a\",\"model\":\"acme/dogs/x\"}", p);
    assertEquals(1, bad.size(), bad.toString());
    assertEquals("model", bad.get(0).field());
    assertTrue(bad.get(0).message().contains("<tenant>/<name>"), bad.toString());
    assertTrue(
        TrainLoraContractTest.read(
                "{\"kind\":\"train_lora\",\"model\":\"acme/dogs\",\"lora_name\":\"y\","
                    + DATASET
                    + "}",
                p)
            .contains(
                new Violation(
                    "model",
                    "kind train_lora trains from tiny, lite or big, not from a fine-tuned model")));
    assertTrue(JobContract.isCustomModel("acme/dogs"));
    assertTrue(!JobContract.isCustomModel("lite"));
  }
}
