package io.cascadefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.DbSettings;
import io.cascadefarm.common.config.S3Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No credential is published (issue 15, finding 4): the code has no default password or key,
 * docker-compose.yml takes every secret from the environment and refuses to start without it (what
 * {@code docker compose config} shows is the {@code ${VAR:?message}} interpolation, never a value),
 * and the Kubernetes manifests carry no Secret values.
 */
class NoDefaultSecretsTest {
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(PASSWORD|SECRET|ACCESS_KEY|ROOT_USER|TOKEN).*");
  private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?[^}]+}");

  @Test
  void theCodeHasNoDefaultCredentials() {
    assertEquals("", DbSettings.PASSWORD.defaultValue());
    assertEquals("", S3Settings.ACCESS_KEY.defaultValue());
    assertEquals("", S3Settings.SECRET_KEY.defaultValue());
  }

  @Test
  void composeTakesEverySecretFromTheEnvironmentOrRefusesToStart() throws Exception {
    Map<String, Object> compose =
        DeployFiles.yamlDocuments(DeployFiles.ROOT.resolve("docker-compose.yml")).get(0);
    List<String> found = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    walk(compose, "", found, bad);
    assertTrue(
        found.size() >= 6, "expected the DB and S3 secrets of farm-env, postgres, minio: " + found);
    assertTrue(bad.isEmpty(), "secrets with a literal value in docker-compose.yml: " + bad);
    String text = Files.readString(DeployFiles.ROOT.resolve("docker-compose.yml"));
    for (String literal : new String[] {"farm-secret", "POSTGRES_PASSWORD: farm\n", "9001:9001"}) {
      assertFalse(text.contains(literal), "docker-compose.yml still has " + literal.trim());
    }
  }

  @SuppressWarnings("unchecked")
  private static void walk(Object node, String path, List<String> found, List<String> bad) {
    if (node instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String key = String.valueOf(e.getKey());
        Object v = e.getValue();
        if (SECRET_NAME.matcher(key).matches() && !(v instanceof Map) && !(v instanceof List)) {
          found.add(path + key);
          String value = String.valueOf(v);
          if (!REQUIRED.matcher(value).matches()) {
            bad.add(path + key + "=" + value);
          }
        } else {
          walk(v, path + key + ".", found, bad);
        }
      }
    } else if (node instanceof List<?> l) {
      for (Object o : l) {
        walk(o, path, found, bad);
      }
    }
  }

  @Test
  void kubernetesManifestsCarryNoSecretValues() throws Exception {
    for (Path f : DeployFiles.kubernetesManifests()) {
      for (Map<String, Object> doc : DeployFiles.yamlDocuments(f)) {
        if (doc == null) {
          continue;
        }
        assertFalse(
            "Secret".equals(doc.get("kind"))
                && (doc.containsKey("data") || doc.containsKey("stringData")),
            f + " holds a Secret with values");
        List<String> found = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        walk(doc, "", found, bad);
        assertTrue(found.isEmpty(), f + " names secrets in plain config: " + found);
      }
    }
  }
}
