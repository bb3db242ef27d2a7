package io.cascadefarm.worker.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.LoraRef;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.worker.cascade.RequestMapper;
import io.cascadefarm.worker.testing.PngRenderer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Micro-batching groups only jobs with the same ControlNet (type, strength) and LoRA set. */
class BatchKeyTest {
  static final String MASK = "uploads/" + "6".repeat(64) + ".png";

  static JobParams job(String control, double strength, List<LoraRef> loras, long seed) {
    JobParams p =
        JobParams.builder()
            .kind(JobKind.CONTROLNET)
            .prompt("p")
            .size(64, 64)
            .seed(seed)
            .images(1)
            .model("tiny")
            .image("uploads/" + "1".repeat(64) + ".png")
            .control(control)
            .mask("inpaint".equals(control) ? MASK : null)
            .controlStrength(strength)
            .loras(loras)
            .build();
    return JobDefaults.resolve(p, () -> 1L);
  }

  static String requestKey(JobParams p) {
    return RequestMapper.toRequest(
            new RenderTask(
                UUID.randomUUID(),
                1,
                p,
                Map.of(
                    "uploads/" + "1".repeat(64) + ".png",
                    PngRenderer.png(8, 8, 1),
                    MASK,
                    PngRenderer.png(8, 8, 2))))
        .batchKey();
  }

  @Test
  void onlySameControlAndLoraSetShareABatch() {
    List<LoraRef> style = List.of(new LoraRef("style", 1.0));
    JobParams a = job("canny", 1.0, style, 1);
    JobParams sameButSeed = job("canny", 1.0, style, 2);
    assertEquals(a.batchKey(), sameButSeed.batchKey());
    assertEquals(requestKey(a), requestKey(sameButSeed));
    for (JobParams other :
        List.of(
            job("inpaint", 1.0, style, 1),
            job("canny", 0.5, style, 1),
            job("canny", 1.0, List.of(), 1),
            job("canny", 1.0, List.of(new LoraRef("style", 0.5)), 1),
            job("canny", 1.0, List.of(new LoraRef("other", 1.0)), 1))) {
      assertNotEquals(a.batchKey(), other.batchKey(), other.toString());
      assertNotEquals(requestKey(a), requestKey(other), other.toString());
    }
  }
}
