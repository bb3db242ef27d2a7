package io.cascadefarm.worker.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

/** Which batches an fp16 worker renders in fp32. */
class PrecisionRouterTest {
  private final List<String> used = new ArrayList<>();
  private final PrecisionRouter router =
      new PrecisionRouter(
          (b, l) -> {
            used.add("fp16");
            return List.of();
          },
          (b, l) -> {
            used.add("fp32");
            return List.of();
          });

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
  void plainTinyAndLiteBatchesRenderInFp16() {
    router.generate(List.of(request("tiny", List.of())), null);
    router.generate(List.of(request("lite", List.of())), null);
    assertEquals(List.of("fp16", "fp16"), used);
    assertNull(PrecisionRouter.fp32Reason(request("lite", List.of())));
  }

  @Test
  void bigAndLoraBatchesFallBackToFp32() {
    router.generate(List.of(request("big", List.of())), null);
    router.generate(List.of(request("lite", List.of(new LoraRef("a", 1)))), null);
    router.generate(List.of(request("big", List.of())), null);
    assertEquals(List.of("fp32", "fp32", "fp32"), used);
  }
}
