package io.cascadefarm.worker.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cascadefarm.cascade.model.Precision;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.LoraRef;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.worker.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which precision each batch of a worker renders at. */
class PrecisionRouterTest {
  private final List<Precision> used = new ArrayList<>();
  private final List<Precision> created = new ArrayList<>();

  private PrecisionRouter router(Precision configured) {
    return new PrecisionRouter(
        configured,
        p -> {
          created.add(p);
          return (b, l) -> {
            used.add(p);
            return List.of();
          };
        });
  }

  private static GenerationRequest request(String model, List<LoraRef> loras) {
    var p = Fixtures.params(JobKind.TEXT_TO_IMAGE, "x", 64, 64, null);
    var withModel =
        io.cascadefarm.common.job.JobParams.builder()
            .kind(p.kind())
            .prompt(p.prompt())
            .size(64, 64)
            .seed(1L)
            .images(1)
            .model(model)
            .loras(loras)
            .build();
    var task =
        new RenderTask(UUID.randomUUID(), 1, JobDefaults.resolve(withModel, () -> 1L), Map.of());
    return RequestMapper.toRequest(task);
  }

  @Test
  void loraBatchesRenderAtTheSamePrecisionAsPlainBatches() {
    for (Precision p : List.of(Precision.FP16, Precision.BF16, Precision.AUTO)) {
      used.clear();
      PrecisionRouter r = router(p);
      r.generate(List.of(request("lite", List.of())), null);
      r.generate(List.of(request("lite", List.of(new LoraRef("a", 1)))), null);
      r.generate(List.of(request("tiny", List.of(new LoraRef("a", 0.5)))), null);
      assertEquals(List.of(p, p, p), used, p.label());
    }
  }

  @Test
  void autoAndBf16KeepModelBigAtTheirPrecision() {
    for (Precision p : List.of(Precision.BF16, Precision.AUTO, Precision.FP32)) {
      used.clear();
      router(p).generate(List.of(request("big", List.of(new LoraRef("a", 1)))), null);
      assertEquals(List.of(p), used, p.label());
      assertEquals(p, PrecisionRouter.forModel(p, "big"));
    }
  }

  @Test
  void bigUnderFp16RendersAtAutoAndEachPipelineIsCreatedOnce() {
    PrecisionRouter r = router(Precision.FP16);
    r.generate(List.of(request("big", List.of())), null);
    r.generate(List.of(request("lite", List.of())), null);
    r.generate(List.of(request("big", List.of(new LoraRef("a", 1)))), null);
    r.generate(List.of(request("tiny", List.of())), null);

    assertEquals(List.of(Precision.AUTO, Precision.FP16, Precision.AUTO, Precision.FP16), used);
    assertEquals(List.of(Precision.AUTO, Precision.FP16), created);
    assertEquals(Precision.AUTO, r.forModel("big"));
    assertEquals(Precision.FP16, r.forModel("lite"));
  }

  @Test
  void modelsFineTunedFromBigUnderFp16RenderAtAutoByTheirBase() {
    Map<String, String> registered = Map.of("acme/dogs", "big", "acme/cats", "lite");
    List<String> asked = new ArrayList<>();
    PrecisionRouter r =
        new PrecisionRouter(
            Precision.FP16,
            m -> {
              asked.add(m);
              return java.util.Optional.ofNullable(
                  io.cascadefarm.cascade.model.ModelRegistry.VARIANTS.contains(m)
                      ? m
                      : registered.get(m));
            },
            p -> {
              created.add(p);
              return (b, l) -> {
                used.add(p);
                return List.of();
              };
            });
    r.generate(List.of(request("acme/dogs", List.of())), null);
    r.generate(List.of(request("acme/cats", List.of())), null);
    r.generate(List.of(request("acme/dogs", List.of(new LoraRef("a", 1)))), null);

    assertEquals(List.of(Precision.AUTO, Precision.FP16, Precision.AUTO), used);
    assertEquals(Precision.AUTO, r.forModel("acme/dogs"));
    assertEquals(Precision.AUTO, r.forModel("big"));
    assertEquals(List.of("acme/dogs", "acme/cats", "big"), asked, "each model asked once");
    // an unknown model keeps the configured precision (rendering it fails on its own) and is
    // asked again next time
    assertEquals(Precision.FP16, r.forModel("acme/gone"));
    assertEquals(Precision.FP16, r.forModel("acme/gone"));
    assertEquals(2, asked.stream().filter("acme/gone"::equals).count());
  }

  @Test
  void otherPrecisionsNeverLookUpTheBase() {
    for (Precision p : List.of(Precision.BF16, Precision.AUTO, Precision.FP32)) {
      PrecisionRouter r =
          new PrecisionRouter(
              p,
              m -> {
                throw new AssertionError("looked up " + m);
              },
              q -> (b, l) -> List.of());
      assertEquals(p, r.forModel("acme/dogs"), p.label());
    }
  }
}
