package io.cascadefarm.cli.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cli.Farm;
import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.embedded.TestServices;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm keys create|list|revoke} round trip on the real embedded services: a created key lets
 * {@code farm submit}/{@code farm status} through a dispatcher with authentication on, list never
 * shows a secret, a revoked key is refused.
 */
class KeysCommandTest {
  @TempDir static Path dir;
  static Path props;
  static Dispatcher dispatcher;

  @BeforeAll
  static void start() throws Exception {
    Properties p = new Properties();
    p.putAll(TestServices.endpoints().toProperties());
    p.put("farm.kafka.topic-prefix", "keys-" + UUID.randomUUID().toString().substring(0, 8));
    p.put("farm.kafka.job-partitions", "1");
    p.put("farm.http.host", "127.0.0.1");
    p.put("farm.http.port", "0");
    p.put("farm.auth.key-cache-ttl", "0s"); // the revocation below must show at once
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

  @Test
  void createdKeysWorkAreListedWithoutSecretsAndStopWorkingWhenRevoked() {
    String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    Farm created =
        Farm.run("keys", "create", "--config", props.toString(), "--tenant", tenant, "--quiet");
    assertEquals(0, created.exitCode(), created.err());
    String secret = created.out().trim();
    assertTrue(secret.matches("cf_[A-Za-z0-9_-]{43}"), secret);

    String api = dispatcher.baseUrl();
    Farm refused = Farm.run("submit", "--api", api, "--prompt", "no key");
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("401"), refused.err());
    Farm submitted = Farm.run("submit", "--api", api, "--api-key", secret, "--prompt", "with key");
    assertEquals(0, submitted.exitCode(), submitted.err());
    String job = submitted.out().trim();
    Farm status = Farm.run("status", "--api", api, "--api-key", secret, job);
    assertEquals(0, status.exitCode(), status.err());

    Farm list = Farm.run("keys", "list", "--config", props.toString());
    assertEquals(0, list.exitCode(), list.err());
    String line =
        list.out()
            .lines()
            .filter(l -> l.contains(tenant))
            .findFirst()
            .orElseThrow(() -> new AssertionError(list.out()));
    assertTrue(line.trim().endsWith("-"), "not revoked yet: " + line);
    assertFalse(list.out().contains(secret), "list shows no secret");
    String id = line.substring(0, 36);

    Farm revoked = Farm.run("keys", "revoke", "--config", props.toString(), id);
    assertEquals(0, revoked.exitCode(), revoked.err());
    Farm after = Farm.run("status", "--api", api, "--api-key", secret, job);
    assertEquals(1, after.exitCode());
    assertTrue(after.err().contains("401"), after.err());
    Farm again = Farm.run("keys", "revoke", "--config", props.toString(), id);
    assertEquals(1, again.exitCode());
    String relisted =
        Farm.run("keys", "list", "--config", props.toString())
            .out()
            .lines()
            .filter(l -> l.contains(tenant))
            .findFirst()
            .orElseThrow();
    assertFalse(relisted.trim().endsWith(" -"), "revocation time listed: " + relisted);
  }

  @Test
  void badTenantsAndIdsAreRefusedByName() {
    Farm bad = Farm.run("keys", "create", "--config", props.toString(), "--tenant", "../etc");
    assertEquals(1, bad.exitCode());
    assertTrue(bad.err().contains("--tenant"), bad.err());
    Farm badId = Farm.run("keys", "revoke", "--config", props.toString(), "nope");
    assertEquals(1, badId.exitCode());
    assertTrue(badId.err().contains("ID"), badId.err());
  }
}
