package io.cascadefarm.worker.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.worker.testing.Fixtures;
import io.cascadefarm.worker.testing.PngRenderer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PoisonRendererTest {
  private final PngRenderer png = new PngRenderer(1);
  private final PoisonRenderer poison = new PoisonRenderer(png);

  private RenderTask task(String prompt) {
    return new RenderTask(UUID.randomUUID(), 1, Fixtures.small(prompt, 8, 8), null);
  }

  @Test
  void aPoisonPromptFailsRetryablyWithoutReachingTheRenderer() {
    var e =
        assertThrows(
            RenderException.class,
            () ->
                poison.render(
                    List.of(task("ok"), task("x __poison__ y")), new RenderListener() {}));
    assertTrue(e.retryable());
    assertEquals("injected_fault", e.code());
    assertTrue(png.calls.isEmpty());
  }

  @Test
  void otherJobsPassThrough() {
    assertEquals(1, poison.render(List.of(task("fine")), new RenderListener() {}).size());
    assertEquals(List.of(1), png.calls);
  }

  @Test
  void aSlowPromptStillRendersThroughTheDelegate() {
    assertEquals(
        2,
        poison
            .render(
                List.of(task("fine"), task("late " + PoisonRenderer.SLOW_MARKER)),
                new RenderListener() {})
            .size());
    assertEquals(List.of(2), png.calls);
  }
}
