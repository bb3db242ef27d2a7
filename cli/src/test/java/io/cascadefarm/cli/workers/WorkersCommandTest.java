package io.cascadefarm.cli.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cli.Farm;
import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DbSettings;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.port.WorkerHeartbeat;
import io.cascadefarm.db.Database;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.embedded.TestServices;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm keys create --scopes} and {@code farm workers list|drain|release} on the real
 * embedded services with authentication on: only an admin key sees and holds workers.
 */
class WorkersCommandTest {
  @TempDir static Path dir;
  static Path props;
  static Dispatcher dispatcher;

  @BeforeAll
  static void start() throws Exception {
    Properties p = new Properties();
    p.putAll(TestServices.endpoints().toProperties());
    p.put("farm.kafka.topic-prefix", "workers-" + UUID.randomUUID().toString().substring(0, 8));
    p.put("farm.kafka.job-partitions", "1");
    p.put("farm.http.host", "127.0.0.1");
    p.put("farm.http.port", "0");
    p.put("farm.auth.key-cache-ttl", "0s");
    props = dir.resolve("farm.properties");
    try (Writer w = Files.newBufferedWriter(props)) {
      p.store(w, null);
    }
    dispatcher = Dispatchers.fromConfig(DispatcherConfig.from(ConfigSource.load(props, Map.of())));
    dispatcher.start();
  }

  @AfterAll
  static void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
  }

  static String key(String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("keys", "create", "--config", props.toString(), "--tenant", "ops", "--quiet"));
    args.addAll(List.of(more));
    Farm f = Farm.run(args.toArray(String[]::new));
    assertEquals(0, f.exitCode(), f.err());
    return f.out().trim();
  }

  @Test
  void adminKeysListDrainAndReleaseWorkers() {
    String id = "cli-worker-" + UUID.randomUUID().toString().substring(0, 8);
    try (Database db = Database.create(DbSettings.from(ConfigSource.load(props, Map.of())))) {
      db.workers()
          .heartbeat(
              new WorkerHeartbeat(
                  id,
                  "gpu-host-7",
                  99,
                  List.of("cuda:0"),
                  "fp16",
                  List.of("lite"),
                  true,
                  "ok",
                  List.of(),
                  3,
                  0,
                  0,
                  "active",
                  null,
                  Instant.now()));
    }
    String api = dispatcher.baseUrl();
    String plain = key();
    Farm refused = Farm.run("workers", "list", "--api", api, "--api-key", plain);
    assertEquals(1, refused.exitCode(), refused.out());
    assertTrue(refused.err().contains("403") && refused.err().contains("admin"), refused.err());

    String admin = key("--scopes", "submit,read,admin");
    Farm list = Farm.run("workers", "list", "--api", api, "--api-key", admin);
    assertEquals(0, list.exitCode(), list.err());
    String line =
        list.out()
            .lines()
            .filter(l -> l.startsWith(id))
            .findFirst()
            .orElseThrow(() -> new AssertionError(list.out()));
    assertTrue(line.contains("active") && line.contains("cuda:0") && line.contains("lite"), line);

    Farm drain =
        Farm.run("workers", "drain", id, "--reason", "fan noise", "--api", api, "--api-key", admin);
    assertEquals(0, drain.exitCode(), drain.err());
    assertTrue(drain.out().contains("hold: drain (fan noise)"), drain.out());
    Farm release = Farm.run("workers", "release", id, "--api", api, "--api-key", admin);
    assertEquals(0, release.exitCode(), release.err());
    assertFalse(release.out().contains("hold:"), release.out());

    Farm unknown = Farm.run("workers", "drain", "no-such-worker", "--api", api, "--api-key", admin);
    assertEquals(1, unknown.exitCode());
    assertTrue(unknown.err().contains("404"), unknown.err());
  }

  @Test
  void anUnknownScopeIsRefusedNamingTheFlag() {
    Farm f =
        Farm.run(
            "keys", "create", "--config", props.toString(), "--tenant", "x", "--scopes", "root");
    assertTrue(f.exitCode() != 0);
    assertTrue(f.err().contains("--scopes") && f.err().contains("root"), f.err());
  }
}
