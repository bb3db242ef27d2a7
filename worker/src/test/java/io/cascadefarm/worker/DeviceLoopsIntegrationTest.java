package io.cascadefarm.worker;

import static io.cascadefarm.worker.ItFarm.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.worker.testing.PngRenderer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code farm.worker.devices} in a real worker process (embedded Kafka, PostgreSQL, S3): one render
 * loop per listed device, each with the renderer built from the config narrowed to its device,
 * closed by the process after draining.
 */
class DeviceLoopsIntegrationTest {
  /** Counts what it renders; remembers whether the process closed it. */
  private static final class DeviceRenderer implements Renderer, AutoCloseable {
    final AtomicInteger tasks = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    final PngRenderer png = new PngRenderer(2);

    @Override
    public List<List<RenderedImage>> render(List<RenderTask> t, RenderListener l) {
      tasks.addAndGet(t.size());
      return png.render(t, l);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  @Test
  void eachDeviceGetsItsOwnRenderLoopAndRenderer() throws Exception {
    List<String> builtFor = new CopyOnWriteArrayList<>();
    List<DeviceRenderer> renderers = new CopyOnWriteArrayList<>();
    try (ItFarm farm = new ItFarm()) {
      WorkerConfig config = farm.config("dev", "farm.worker.devices", "cpu, cpu");
      try (WorkerProcess process =
          WorkerProcess.start(
              config,
              c -> {
                builtFor.add(c.devices());
                DeviceRenderer r = new DeviceRenderer();
                renderers.add(r);
                return r;
              },
              1,
              new SimpleMeterRegistry())) {
        assertEquals(List.of("cpu", "cpu"), builtFor, "one renderer per device, for that device");
        assertEquals(List.of("dev", "dev-1"), process.workers().stream().map(Worker::id).toList());
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          ids.add(farm.submit("device job " + i, 3));
        }
        await(
            "6 jobs to succeed",
            Duration.ofSeconds(120),
            () -> ids.stream().allMatch(id -> farm.job(id).status() == JobStatus.SUCCEEDED));
        assertEquals(6, renderers.stream().mapToInt(r -> r.tasks.get()).sum(), "rendered once");
        assertTrue(renderers.stream().noneMatch(r -> r.closed.get()), "open while running");
      }
      assertTrue(renderers.stream().allMatch(r -> r.closed.get()), "closed by the process");
    }
  }
}
