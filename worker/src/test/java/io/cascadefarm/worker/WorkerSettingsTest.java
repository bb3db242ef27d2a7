package io.cascadefarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.ConfigException;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.worker.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings this module added to {@link WorkerConfig}. */
class WorkerSettingsTest {
  @Test
  void defaultsAreOffAndNinetySeconds() {
    WorkerConfig c = Fixtures.config();
    assertEquals(0, c.metricsPort());
    assertEquals(Duration.ofSeconds(90), c.storageRetry());
    assertTrue(
        WorkerConfig.keys().stream().noneMatch(k -> k.name().contains("fault")),
        "fault injection is plugged in by tests, never configured");
  }

  @Test
  void badValuesNameTheKey() {
    var e =
        assertThrows(
            ConfigException.class, () -> Fixtures.config("farm.worker.metrics-port", "yes"));
    assertTrue(e.getMessage().contains("farm.worker.metrics-port"), e.getMessage());
  }

  @Test
  void renderTimeoutDefaultsToThirtyMinutesAndZeroIsOff() {
    assertEquals(Duration.ofMinutes(30), Fixtures.config().renderTimeout());
    assertEquals(Duration.ZERO, Fixtures.config("farm.worker.render-timeout", "0").renderTimeout());
    assertEquals(
        Duration.ofMillis(300),
        Fixtures.config("farm.worker.render-timeout", "300ms").renderTimeout());
    for (String bad : List.of("soon", "-5s")) {
      var e =
          assertThrows(
              ConfigException.class, () -> Fixtures.config("farm.worker.render-timeout", bad));
      assertTrue(e.getMessage().contains("farm.worker.render-timeout"), e.getMessage());
    }
  }

  @Test
  void precisionIsFp32UnlessFp16Bf16OrAutoAndAnythingElseNamesTheKey() {
    assertEquals("fp32", Fixtures.config().precision());
    assertEquals("fp16", Fixtures.config("farm.worker.precision", "FP16").precision());
    assertEquals("bf16", Fixtures.config("farm.worker.precision", "bf16").precision());
    assertEquals("auto", Fixtures.config("farm.worker.precision", "Auto").precision());
    var e =
        assertThrows(ConfigException.class, () -> Fixtures.config("farm.worker.precision", "int8"));
    assertTrue(e.getMessage().contains("farm.worker.precision"), e.getMessage());
    assertTrue(e.getMessage().contains("int8"), e.getMessage());
  }

  @Test
  void additionalInProcessWorkersGetNumberedIdsAndNoMetricsPort() {
    WorkerConfig c = Fixtures.config("farm.worker.metrics-port", "9400");
    WorkerConfig second = WorkerProcess.withId(c, "w1-1");
    assertEquals("w1-1", second.workerId());
    assertEquals(0, second.metricsPort());
    assertEquals(c.batchSize(), second.batchSize());
    assertEquals(c.renderTimeout(), second.renderTimeout());
    assertEquals(c.precision(), second.precision());
  }

  @Test
  void devicesAreAutoByDefaultAndAMalformedListNamesTheKey() {
    assertEquals("auto", Fixtures.config().devices());
    assertEquals(
        "cuda:0,cuda:1", Fixtures.config("farm.worker.devices", "CUDA:0,cuda:1").devices());
    for (String bad : List.of("tpu:3", "cuda:", "cpu,,cpu", "auto,cpu")) {
      var e =
          assertThrows(ConfigException.class, () -> Fixtures.config("farm.worker.devices", bad));
      assertTrue(e.getMessage().contains("farm.worker.devices"), e.getMessage());
    }
    WorkerConfig second = WorkerProcess.withId(Fixtures.config("farm.worker.devices", "cpu"), "x");
    assertEquals("cpu", second.devices());
  }
}
