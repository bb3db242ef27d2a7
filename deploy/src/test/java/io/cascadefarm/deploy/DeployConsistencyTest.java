package io.cascadefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.ConfigKey;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.config.KafkaSettings;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker engine or cluster here, so this test parses the deploy files and checks that
 * every service, port, env var, class and topic they name exists in the code's configuration.
 */
class DeployConsistencyTest {

  private static Set<String> knownEnvVars() {
    Set<String> names = new TreeSet<>();
    DispatcherConfig.keys().stream().map(ConfigKey::envVar).forEach(names::add);
    WorkerConfig.keys().stream().map(ConfigKey::envVar).forEach(names::add);
    return names;
  }

  @Test
  void composeNamesOnlyKnownSettings() {
    Map<String, Object> compose =
        DeployFiles.yamlDocuments(DeployFiles.ROOT.resolve("docker-compose.yml")).get(0);
    Set<String> unknown = DeployFiles.farmEnvNames(compose);
    unknown.removeAll(knownEnvVars());
    assertTrue(unknown.isEmpty(), "docker-compose.yml names unknown settings " + unknown);
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeHasEveryServiceAndAScalableGpuWorker() {
    Map<String, Object> compose =
        DeployFiles.yamlDocuments(DeployFiles.ROOT.resolve("docker-compose.yml")).get(0);
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    for (String s : List.of("kafka", "postgres", "minio", "dispatcher", "worker")) {
      assertNotNull(services.get(s), "compose service " + s);
    }
    Map<String, Object> worker = (Map<String, Object>) services.get("worker");
    assertFalse(worker.containsKey("container_name"), "--scale needs no container_name");
    assertFalse(worker.containsKey("ports"), "--scale needs no fixed host ports");
    assertTrue(String.valueOf(worker.get("deploy")).contains("gpu"), "worker reserves a GPU");
    Map<String, Object> dispatcher = (Map<String, Object>) services.get("dispatcher");
    assertEquals(
        List.of(DispatcherConfig.PORT.defaultValue() + ":" + DispatcherConfig.PORT.defaultValue()),
        dispatcher.get("ports"));
  }

  @Test
  void kubernetesManifestsNameOnlyKnownSettings() {
    Set<String> unknown = new TreeSet<>();
    for (Path file : DeployFiles.kubernetesManifests()) {
      DeployFiles.yamlDocuments(file).forEach(d -> unknown.addAll(DeployFiles.farmEnvNames(d)));
    }
    unknown.removeAll(knownEnvVars());
    assertTrue(unknown.isEmpty(), "k8s manifests name unknown settings " + unknown);
  }

  @Test
  void kedaScalesOnTheWorkersConsumerGroupJobsTopicAndRetryLane() {
    Map<String, Object> scaled =
        DeployFiles.yamlDocuments(DeployFiles.ROOT.resolve("deploy/k8s/40-keda-scaledobject.yaml"))
            .get(0);
    String text = scaled.toString();
    assertTrue(text.contains("consumerGroup=" + WorkerConfig.GROUP.defaultValue()), text);
    String jobsTopic = Topics.withPrefix(KafkaSettings.TOPIC_PREFIX.defaultValue()).jobs();
    assertTrue(text.contains("topic=" + jobsTopic), text);
    String retryLane = Topics.withPrefix(KafkaSettings.TOPIC_PREFIX.defaultValue()).retries();
    assertTrue(text.contains("topic=" + retryLane), "KEDA must also count the retry lane: " + text);
  }

  @Test
  void dockerfilesStartAnExistingMainClassWithKnownSettings() throws Exception {
    Pattern mainClass = Pattern.compile("io\\.cascadefarm\\.[A-Za-z.]+");
    Pattern env = Pattern.compile("\\bFARM_[A-Z0-9_]+");
    for (String name : List.of("Dockerfile.dispatcher", "Dockerfile.worker")) {
      String text = Files.readString(DeployFiles.ROOT.resolve("deploy/docker/" + name));
      Matcher m = mainClass.matcher(text);
      assertTrue(m.find(), name + " names no main class");
      Class.forName(m.group());
      Matcher e = env.matcher(text);
      while (e.find()) {
        assertTrue(knownEnvVars().contains(e.group()), name + " names unknown " + e.group());
      }
    }
  }
}
