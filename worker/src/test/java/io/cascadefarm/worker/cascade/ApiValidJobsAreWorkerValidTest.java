package io.cascadefarm.worker.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.pipeline.GenerationKind;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationRequestBuilder;
import io.cascadefarm.cascade.pipeline.HostTensor;
import io.cascadefarm.cascade.pipeline.RequestDefaults;
import io.cascadefarm.cascade.pipeline.TensorFiles;
import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.contract.JobLimits;
import io.cascadefarm.common.contract.RandomJobs;
import io.cascadefarm.common.contract.Violation;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.LoraRef;
import io.cascadefarm.common.job.StageParams;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.worker.lora.LoraCache;
import io.cascadefarm.worker.testing.PngRenderer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every job the API accepts is accepted by the worker's renderer, with the same defaults. Random
 * jobs from {@link RandomJobs} (every bound taken from the job contract, edges drawn often), under
 * the default API limits and at the contract's ceiling, go the way a job goes through the farm:
 * read from JSON as the dispatcher reads it ({@link JobContract#read}, the body of its {@code
 * JobReader}, and {@link JobContract#checkRules}), resolved as the dispatcher stores it, mapped as
 * the worker maps it ({@link RequestMapper}, which checks the contract again), and checked by the
 * Stable Cascade pipeline's own validator ({@link GenerationRequest#validate()}). Every field the
 * client left unset must get the value the pipeline itself would default to. Jobs the farm would
 * batch together must be compatible for the pipeline, and only those.
 */
class ApiValidJobsAreWorkerValidTest {
  static final int JOBS = 2000;

  @Test
  void everyApiValidJobIsWorkerValidWithTheSameDefaults() throws Exception {
    for (JobLimits limits : List.of(ApiLimits.defaults().jobLimits(), JobLimits.CEILING)) {
      RandomJobs jobs = new RandomJobs(42, limits);
      for (int i = 0; i < JOBS; i++) {
        JobParams job = jobs.next();
        JobParams read = readAsTheApiDoes(Json.toJson(job), limits);
        assertEquals(job, read);
        JobParams stored = JobDefaults.resolve(read, () -> 17L);
        GenerationRequest request = RequestMapper.toRequest(task(stored));
        assertEquals(List.of(), request.validate(), () -> "API-valid job refused: " + job);
        assertSameDefaults(job, request);
      }
    }
  }

  @Test
  void aShiftOfEighteenIsRendered() throws Exception {
    JobParams job =
        readAsTheApiDoes(
            "{\"prompt\":\"a\",\"prior\":{\"shift\":18},\"decoder\":{\"shift\":20}}",
            ApiLimits.defaults().jobLimits());
    GenerationRequest r = RequestMapper.toRequest(task(JobDefaults.resolve(job, () -> 1L)));
    assertEquals(18.0, r.prior().shift());
    assertEquals(List.of(), r.validate());
  }

  @Test
  void theWorkerChecksTheContractAgainNamingTheField() {
    JobParams tooMuch =
        JobDefaults.resolve(
            JobParams.textToImage("a").toBuilder().prior(new StageParams(null, null, 21.0)).build(),
            () -> 1L);
    RenderException e =
        assertThrows(RenderException.class, () -> RequestMapper.toRequest(task(tooMuch)));
    assertEquals("invalid_input", e.code());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("field prior.shift: must be a number"), e.getMessage());
  }

  @Test
  void jobsTheFarmBatchesTogetherArePipelineCompatibleAndOnlyThose() {
    RandomJobs jobs = new RandomJobs(7, ApiLimits.defaults().jobLimits());
    int together = 0;
    JobParams previous = null;
    for (int i = 0; i < 1000; i++) {
      JobParams a = JobDefaults.resolve(jobs.next(), () -> 1L);
      JobParams b = JobDefaults.resolve(otherRowsOf(a), () -> 2L);
      assertEquals(a.batchKey(), b.batchKey());
      assertEquals(requestKey(a), requestKey(b), a.toString());
      if (previous != null) {
        boolean farm = a.batchKey().equals(previous.batchKey());
        assertEquals(farm, requestKey(a).equals(requestKey(previous)), a + " vs " + previous);
        together += farm ? 1 : 0;
      }
      previous = a;
    }
    JobParams base = JobDefaults.resolve(JobParams.textToImage("x"), () -> 1L);
    for (JobParams other :
        List.of(
            base.toBuilder().size(1024, 768).build(),
            base.toBuilder().model("tiny").build(),
            base.toBuilder().prior(new StageParams(20, 4.0, 3.0)).build(),
            base.toBuilder().decoder(new StageParams(12, 1.1, 1.0)).build(),
            base.toBuilder().loras(List.of(new LoraRef("style", 1.0))).build())) {
      assertFalse(other.batchKey().equals(base.batchKey()));
      assertFalse(requestKey(other).equals(requestKey(base)), other.toString());
    }
    System.out.println(together + " random neighbours shared a batch key");
  }

  @Test
  void theJobKindsAreThePipelineKinds() {
    int render = 0;
    for (JobKind k : JobKind.values()) {
      if (k.isTraining()) {
        continue;
      }
      render++;
      GenerationKind g = RequestMapper.kind(k);
      assertEquals(k.wire(), g.wireName());
      assertEquals(k.needsImage(), g.needsImage());
    }
    assertEquals(render, GenerationKind.values().length);
  }

  /** The dispatcher's reading of a job body: field checks, then the cross-field rules. */
  static JobParams readAsTheApiDoes(String json, JobLimits limits) throws Exception {
    List<Violation> problems = new ArrayList<>();
    JobParams p;
    try (JsonParser parser = Json.mapper().getFactory().createParser(json)) {
      parser.nextToken();
      p = JobContract.read(parser, "", limits, (f, m) -> problems.add(new Violation(f, m)));
    }
    JobContract.checkRules(p, "", (f, m) -> problems.add(new Violation(f, m)));
    assertEquals(List.of(), problems, json);
    return p;
  }

  /** The job as the worker hands it to the renderer: inputs loaded, LoRAs in the local cache. */
  static RenderTask task(JobParams p) {
    Map<String, byte[]> inputs = new HashMap<>();
    List<String> images = new ArrayList<>(p.extraImages());
    images.add(p.image());
    images.add(p.mask());
    for (String key : images) {
      if (key != null) {
        inputs.put(key, PngRenderer.png(16, 16, key.hashCode()));
      }
    }
    if (p.embeddings() != null) {
      inputs.put(
          p.embeddings(),
          TensorFiles.write(
              Map.of(
                  TensorFiles.PRIOR_LATENTS,
                  new HostTensor(new float[16 * 4], new long[] {1, 16, 2, 2})),
              Map.of()));
    }
    for (LoraRef l : p.loras()) {
      inputs.put(
          LoraCache.INPUT_PREFIX + l.name(),
          ("/models/.lora-cache/" + l.name() + ".safetensors").getBytes(StandardCharsets.UTF_8));
    }
    return new RenderTask(UUID.randomUUID(), 1, p, inputs);
  }

  static String requestKey(JobParams p) {
    return RequestMapper.toRequest(task(p)).batchKey();
  }

  /** {@code a} with every per-row field changed: another prompt, seed, image count, input, ... */
  static JobParams otherRowsOf(JobParams a) {
    JobParams.Builder b =
        a.toBuilder()
            .prompt(a.prompt() + " again")
            .negativePrompt("blurry")
            .seed(a.seed() ^ 1)
            .images(a.images() == 1 ? 2 : 1)
            .metadata(Map.of("other", true));
    if (a.image() != null) {
      b.image("uploads/" + "e".repeat(64) + ".png");
    }
    if (a.mask() != null) {
      b.mask("uploads/" + "f".repeat(64) + ".webp");
    }
    return b.build();
  }

  /** Each field the client left unset has the value the pipeline defaults to by itself. */
  static void assertSameDefaults(JobParams job, GenerationRequest r) {
    JobKind kind = job.kind() == null ? JobKind.TEXT_TO_IMAGE : job.kind();
    GenerationRequestBuilder d = GenerationRequest.builder(RequestMapper.kind(kind));
    if (job.strength() != null) {
      d.strength(job.strength());
    }
    if (kind == JobKind.CONTROLNET) {
      d.control(
          job.control(),
          null,
          job.controlStrength() == null ? RequestDefaults.CONTROL_STRENGTH : job.controlStrength());
    }
    GenerationRequest def = d.build();
    String what = job.toString();
    if (job.prompt() == null) {
      assertEquals(def.prompt(), r.prompt(), what);
    }
    if (job.negativePrompt() == null) {
      assertEquals(def.negativePrompt(), r.negativePrompt(), what);
    }
    if (job.width() == null) {
      assertEquals(def.width(), r.width(), what);
    }
    if (job.height() == null) {
      assertEquals(def.height(), r.height(), what);
    }
    if (job.images() == null) {
      assertEquals(def.images(), r.images(), what);
    }
    if (job.model() == null) {
      assertEquals(def.model(), r.model(), what);
    }
    sameStage(job.prior(), job.priorTimesteps(), def.prior(), r.prior(), "prior " + what);
    sameStage(job.decoder(), job.decoderTimesteps(), def.decoder(), r.decoder(), "decoder " + what);
    if (kind == JobKind.IMAGE_TO_IMAGE && job.strength() == null) {
      assertEquals(def.strength(), r.strength(), what);
    }
    if (kind == JobKind.CONTROLNET && job.controlStrength() == null) {
      assertEquals(def.controlStrength(), r.controlStrength(), what);
    }
    if (job.promptWeights() == null) {
      assertEquals(def.promptWeights(), r.promptWeights(), what);
    }
    if (job.sampler() == null) {
      assertEquals(def.sampler(), r.sampler(), what);
    }
    if (job.noise() == null) {
      assertEquals(def.noise(), r.noise(), what);
    }
    if (job.cfgRescale() == null) {
      assertEquals(def.cfgRescale(), r.cfgRescale(), what);
    }
    if (job.decoderNegativePrompt() == null) {
      assertEquals(def.decoderNegativePrompt(), r.decoderNegativePrompt(), what);
    }
    assertEquals(job.extraImages().size(), r.extraImages().size(), what);
    if (!job.priorTimesteps().isEmpty()) {
      assertEquals(job.priorTimesteps().size() - 1, r.prior().steps(), what);
    }
  }

  private static void sameStage(
      StageParams given, List<Double> grid, StageSettings def, StageSettings actual, String what) {
    if (given.steps() == null) {
      assertEquals(grid.isEmpty() ? def.steps() : grid.size() - 1, actual.steps(), what);
    }
    assertEquals(
        grid.isEmpty() ? null : grid.size(),
        actual.timesteps() == null ? null : actual.timesteps().size(),
        what);
    if (given.guidance() == null) {
      assertEquals(def.guidance(), actual.guidance(), what);
    }
    if (given.shift() == null) {
      assertEquals(def.shift(), actual.shift(), what);
    }
  }
}
