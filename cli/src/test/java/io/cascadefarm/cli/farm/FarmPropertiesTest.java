package io.cascadefarm.cli.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.config.WorkerConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FarmPropertiesTest {
  @TempDir Path dir;

  @Test
  void writtenSettingsAreWhatWorkersAndDispatchersRead() {
    Path file =
        FarmProperties.write(
            dir,
            Map.of(
                "farm.db.url", "jdbc:postgresql://localhost:15432/farm",
                "farm.kafka.bootstrap-servers", "localhost:19092",
                "farm.s3.endpoint", "http://127.0.0.1:19000",
                "farm.s3.secret-key", "a\\b",
                "farm.http.port", "8080"));

    WorkerConfig w = WorkerConfig.from(ConfigSource.load(file, Map.of()));
    DispatcherConfig d =
        DispatcherConfig.from(ConfigSource.load(file, Map.of("farm.http.port", "8081")));

    assertEquals("jdbc:postgresql://localhost:15432/farm", w.db().url());
    assertEquals("localhost:19092", w.kafka().bootstrapServers());
    assertEquals("http://127.0.0.1:19000", w.s3().endpoint());
    assertEquals("a\\b", w.s3().secretKey());
    assertEquals(8081, d.port(), "flags win over the file");
  }
}
