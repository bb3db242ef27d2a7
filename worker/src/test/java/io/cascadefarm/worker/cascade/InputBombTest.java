package io.cascadefarm.worker.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.codec.hostile.HostileFiles;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.worker.testing.Fixtures;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A worker reads job inputs with the same header limits as the dispatcher's uploads: an input
 * placed in the store directly (another tool, an older dispatcher, someone with bucket access) that
 * declares a huge decode is invalid input, refused before the decoder allocates.
 */
class InputBombTest {
  static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  @Test
  void anInputBombFailsTheJobWithoutAllocating() {
    for (byte[] bomb :
        new byte[][] {
          HostileFiles.pngAllocationBomb(),
          HostileFiles.jpeg(8000, 5000, 3, false, 1),
          HostileFiles.webp(6000, 6000)
        }) {
      String key = "uploads/" + "ab".repeat(32) + ".png";
      JobParams p = Fixtures.params(JobKind.IMAGE_VARIATION, "x", 64, 64, key);
      RenderTask task = new RenderTask(UUID.randomUUID(), 1, p, Map.of(key, bomb));
      long before = allocated();
      RenderException e = assertThrows(RenderException.class, () -> RequestMapper.toRequest(task));
      long took = allocated() - before;
      assertEquals("invalid_input", e.code(), e.getMessage());
      assertFalse(e.retryable());
      assertTrue(e.getMessage().startsWith("field image:"), e.getMessage());
      assertTrue(took < 16 << 20, "allocated " + took + " bytes: " + e.getMessage());
    }
  }
}
