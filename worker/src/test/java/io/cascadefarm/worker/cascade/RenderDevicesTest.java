package io.cascadefarm.worker.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cascadefarm.cascade.model.Devices;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code farm.worker.devices} against the engine of this (CPU-only) build. */
class RenderDevicesTest {
  @Test
  void autoIsEveryVisibleGpuElseTheCpu() {
    List<String> expected =
        Devices.visibleGpus().isEmpty()
            ? List.of("cpu")
            : Devices.visibleGpus().stream().map(RenderDevices::name).toList();
    assertEquals(expected, RenderDevices.resolve("auto"));
  }

  @Test
  void aListGivesOneLoopPerEntryInOrder() {
    assertEquals(List.of("cpu", "cpu"), RenderDevices.resolve("cpu, cpu"));
    assertEquals(Device.cpu(), RenderDevices.first("cpu"));
    assertEquals("cuda:1", RenderDevices.name(Device.gpu(1)));
  }

  @Test
  void aGpuTheEngineDoesNotSeeIsRefusedByName() {
    int missing = Devices.visibleGpus().size();
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> RenderDevices.resolve("cuda:" + missing));
    assertTrue(e.getMessage().contains("farm.worker.devices"), e.getMessage());
    assertTrue(e.getMessage().contains("not visible"), e.getMessage());
  }
}
