package io.cascadefarm.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {

  @Test
  void flagsOverrideFileOverrideDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("farm.properties");
    Files.writeString(file, "farm.http.port=9000\nfarm.db.url=jdbc:postgresql://db/x\n");
    ConfigSource c = ConfigSource.load(file, Map.of("farm.http.port", "9100"));
    DispatcherConfig d = DispatcherConfig.from(c);
    assertEquals(9100, d.port());
    assertEquals("jdbc:postgresql://db/x", d.db().url());
    assertEquals(Duration.ofMillis(200), d.outboxInterval());
  }

  @Test
  void badValueNamesTheKey() {
    ConfigSource c = ConfigSource.of(Map.of("farm.http.port", "eighty"));
    ConfigException e = assertThrows(ConfigException.class, () -> DispatcherConfig.from(c));
    assertTrue(e.getMessage().contains("farm.http.port"), e.getMessage());
  }

  @Test
  void durationsParse() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("PT30S"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
  }

  @Test
  void envVarNamesAreDerived() {
    assertEquals("FARM_KAFKA_BOOTSTRAP_SERVERS", KafkaSettings.BOOTSTRAP.envVar());
  }

  @Test
  void workerDefaultsLetADeadWorkersJobRestartWithin90s() {
    WorkerConfig w = WorkerConfig.from(ConfigSource.of(Map.of()));
    DispatcherConfig d = DispatcherConfig.from(ConfigSource.of(Map.of()));
    assertTrue(w.lease().plus(d.reaperInterval()).compareTo(Duration.ofSeconds(90)) < 0);
    assertTrue(w.heartbeat().multipliedBy(2).compareTo(w.lease()) < 0);
  }
}
