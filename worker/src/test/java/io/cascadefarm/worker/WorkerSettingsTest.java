package io.cascadefarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.ConfigException;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.worker.testing.Fixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The settings this module added to {@link WorkerConfig}. */
class WorkerSettingsTest {
  @Test
  void defaultsAreOffAndNinetySeconds() {
    WorkerConfig c = Fixtures.config();
    assertEquals(0, c.metricsPort());
    assertFalse(c.faultInjection());
    assertEquals(Duration.ofSeconds(90), c.storageRetry());
    assertTrue(WorkerConfig.keys().contains(WorkerConfig.FAULT_INJECTION));
  }

  @Test
  void badValuesNameTheKey() {
    var e =
        assertThrows(
            ConfigException.class, () -> Fixtures.config("farm.worker.fault-injection", "yes"));
    assertTrue(e.getMessage().contains("farm.worker.fault-injection"), e.getMessage());
  }

  @Test
  void additionalInProcessWorkersGetNumberedIdsAndNoMetricsPort() {
    WorkerConfig c = Fixtures.config("farm.worker.metrics-port", "9400");
    WorkerConfig second = WorkerProcess.withId(c, "w1-1");
    assertEquals("w1-1", second.workerId());
    assertEquals(0, second.metricsPort());
    assertEquals(c.batchSize(), second.batchSize());
  }
}
