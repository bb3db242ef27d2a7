package io.cascadefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cli.FarmCommand;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * docker-compose.yml works on a fresh host: every service health-checked and gated on its
 * dependencies' health, restarted, on a pinned image, no secret in the file (they come from the
 * {@code .env} that {@code farm deploy env} generates), a writable models volume, gpu and cpu
 * profiles, one GPU per worker ({@code farm deploy gpus}). And {@code docker-compose config}
 * (Debian's docker-compose, which .ci/run installs) accepts it with a generated .env, refuses it
 * without one, and merges the GPU override with one distinct device per worker.
 */
class ComposeTest {
  static final Pattern REQUIRED_VAR = Pattern.compile("\\$\\{[A-Z0-9_]+:\\?.+\\}");
  static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|ACCESS_KEY|ROOT_USER).*");

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> services() {
    Map<String, Object> compose =
        DeployFiles.yamlDocuments(DeployFiles.ROOT.resolve("docker-compose.yml")).get(0);
    return (Map<String, Map<String, Object>>) compose.get("services");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyServiceIsHealthCheckedRestartedPinnedAndGatedOnHealth() {
    Map<String, Map<String, Object>> services = services();
    assertTrue(
        services
            .keySet()
            .containsAll(
                List.of("kafka", "postgres", "minio", "dispatcher", "worker", "worker-cpu")),
        services.keySet().toString());
    for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
      String name = e.getKey();
      Map<String, Object> s = e.getValue();
      Map<String, Object> hc = (Map<String, Object>) s.get("healthcheck");
      assertNotNull(hc, name + " has no healthcheck");
      assertFalse(String.valueOf(hc.get("test")).isBlank(), name + " healthcheck test");
      assertTrue(
          List.of("always", "unless-stopped").contains(s.get("restart")),
          name + " restart policy: " + s.get("restart"));
      String image = String.valueOf(s.get("image"));
      assertTrue(image.contains(":"), name + " image not pinned: " + image);
      String tag = image.substring(image.lastIndexOf(':') + 1);
      assertNotEquals("latest", tag, name);
      assertTrue(tag.matches(".*\\d.*"), name + " tag has no version: " + image);
      Object deps = s.get("depends_on");
      if (deps != null) {
        assertTrue(deps instanceof Map, name + ": depends_on must name conditions: " + deps);
        ((Map<String, Object>) deps)
            .forEach(
                (dep, cond) -> {
                  assertTrue(services.containsKey(dep), name + " depends on unknown " + dep);
                  assertEquals(
                      "service_healthy",
                      ((Map<String, Object>) cond).get("condition"),
                      name + " must wait for " + dep + " to be healthy");
                });
      }
    }
    for (String s : List.of("dispatcher", "worker", "worker-cpu")) {
      assertNotNull(services.get(s).get("depends_on"), s + " starts only after its services");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void noSecretIsWrittenInTheFile() {
    List<String> literal = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> e : services().entrySet()) {
      Object env = e.getValue().get("environment");
      if (env instanceof Map<?, ?> m) {
        m.forEach(
            (k, v) -> {
              if (SECRET_NAME.matcher(String.valueOf(k)).matches()
                  && !REQUIRED_VAR.matcher(String.valueOf(v)).matches()) {
                literal.add(e.getKey() + "." + k + "=" + v);
              }
            });
      }
    }
    assertTrue(literal.isEmpty(), "secrets must come from .env (${VAR:?...}): " + literal);
  }

  @Test
  @SuppressWarnings("unchecked")
  void workersHaveAWritableModelsVolumeProfilesAndOneGpuEach() {
    Map<String, Map<String, Object>> services = services();
    for (String w : List.of("worker", "worker-cpu")) {
      Map<String, Object> s = services.get(w);
      List<String> volumes = (List<String>) s.get("volumes");
      assertTrue(volumes.contains("models:/models"), w + " mounts " + volumes);
      assertTrue(
          volumes.stream().noneMatch(v -> v.endsWith(":ro")), w + " models must be writable");
      assertEquals("/models", ((Map<String, Object>) s.get("environment")).get("FARM_MODELS_DIR"));
      assertFalse(s.containsKey("ports"), w + " must scale without fixed ports");
    }
    assertEquals(List.of("gpu"), services.get("worker").get("profiles"));
    assertEquals(List.of("cpu"), services.get("worker-cpu").get("profiles"));
    String gpu = String.valueOf(services.get("worker").get("deploy"));
    assertTrue(gpu.contains("device_ids"), "the GPU worker reserves one named device: " + gpu);
    assertFalse(gpu.contains("count"), "count: 1 lets every replica land on the same GPU");
    assertEquals(
        "auto",
        ((Map<String, Object>) services.get("worker").get("environment"))
            .get("FARM_WORKER_PRECISION"),
        "the GPU worker computes at auto precision");
    assertFalse(String.valueOf(services.get("worker-cpu").get("deploy")).contains("nvidia"));
    Map<String, Object> volumes =
        (Map<String, Object>)
            DeployFiles.yamlDocuments(DeployFiles.ROOT.resolve("docker-compose.yml"))
                .get(0)
                .get("volumes");
    assertTrue(volumes.containsKey("models"), "models is a named volume");
  }

  @Test
  void deployEnvWritesFreshRandomSecretsForEveryRequiredVariable() {
    Map<String, String> a = env(generate());
    Map<String, String> b = env(generate("--cpu", "--proxy", "--results-ttl", "7d"));
    Set<String> required = requiredVariables();
    assertTrue(a.keySet().containsAll(required), "missing " + required + " in " + a.keySet());
    for (String k : List.of("FARM_DB_PASSWORD", "FARM_S3_ACCESS_KEY", "FARM_S3_SECRET_KEY")) {
      assertNotEquals(a.get(k), b.get(k), k + " must be random");
      assertTrue(a.get(k).length() >= 20, k + " too short");
      assertTrue(a.get(k).matches("[A-Za-z0-9_]+"), k + " must need no quoting: " + a.get(k));
    }
    assertEquals("gpu", a.get("COMPOSE_PROFILES"));
    assertEquals("cpu", b.get("COMPOSE_PROFILES"));
    assertEquals("proxy", b.get("FARM_RESULTS_DELIVERY"));
    assertEquals("7d", b.get("FARM_RESULTS_TTL"));
    assertEquals("cascade-farm", a.get("COMPOSE_PROJECT_NAME"));
  }

  @Test
  void dockerComposeConfigAcceptsItWithAGeneratedEnvAndRefusesItWithout(@TempDir Path dir)
      throws Exception {
    List<String> compose = composeCli();
    Files.copy(DeployFiles.ROOT.resolve("docker-compose.yml"), dir.resolve("docker-compose.yml"));
    Result without = run(dir, compose, "config");
    assertNotEquals(0, without.exit(), "compose must refuse to run without secrets");
    assertTrue(without.output().contains("farm deploy env"), without.output());

    String envText = generate();
    Files.writeString(dir.resolve(".env"), envText);
    Result ok = run(dir, compose, "config");
    assertEquals(0, ok.exit(), ok.output());
    Map<String, Object> resolved = DeployFilesYaml.parse(ok.stdout());
    String password = env(envText).get("FARM_DB_PASSWORD");
    assertTrue(
        ok.stdout().contains(password), "the .env secret reaches the services: " + ok.stdout());
    assertNotNull(resolved.get("services"));

    Files.writeString(
        dir.resolve("compose.gpus.yml"),
        run(
            "deploy",
            "gpus",
            "--count",
            "4",
            "--compose",
            dir.resolve("docker-compose.yml").toString()));
    Result gpus = run(dir, compose, "-f", "docker-compose.yml", "-f", "compose.gpus.yml", "config");
    assertEquals(0, gpus.exit(), gpus.output());
    Set<String> devices = new HashSet<>();
    Map<String, Object> merged = DeployFilesYaml.parse(gpus.stdout());
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> services =
        (Map<String, Map<String, Object>>) merged.get("services");
    for (String w : List.of("worker", "worker-gpu1", "worker-gpu2", "worker-gpu3")) {
      String deploy = String.valueOf(services.get(w).get("deploy"));
      java.util.regex.Matcher m = Pattern.compile("device_ids=\\[(\\d+)\\]").matcher(deploy);
      assertTrue(m.find(), w + ": " + deploy);
      devices.add(m.group(1));
      assertFalse(deploy.contains("count"), w + ": count does not pin a GPU: " + deploy);
      assertEquals(
          "auto",
          String.valueOf(
              ((Map<String, Object>) services.get(w).get("environment"))
                  .get("FARM_WORKER_PRECISION")),
          w);
      assertFalse(services.get(w).containsKey("build") && !w.equals("worker"), w + " builds again");
    }
    assertEquals(Set.of("0", "1", "2", "3"), devices, "one distinct GPU per worker");
  }

  /** {@code docker-compose} (v1, Debian) or {@code docker compose} (v2); CI must have one. */
  static List<String> composeCli() throws Exception {
    for (List<String> c : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
      try {
        Process p = new ProcessBuilder(concat(c, "version")).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return c;
        }
      } catch (java.io.IOException absent) {
        // try the next
      }
    }
    boolean ci = System.getenv("CI") != null;
    if (ci) {
      throw new AssertionError(
          "CI must run `docker-compose config`: .ci/run installs docker-compose");
    }
    Assumptions.abort("no docker-compose here (apt-get install -y docker-compose)");
    return null;
  }

  record Result(int exit, String stdout, String output) {}

  static Result run(Path dir, List<String> cli, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(cli);
    cmd.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile());
    b.environment().keySet().removeIf(k -> k.startsWith("FARM_") || k.startsWith("COMPOSE_"));
    File err = dir.resolve("stderr.txt").toFile();
    b.redirectError(err);
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "compose hung");
    String e = Files.readString(err.toPath());
    return new Result(p.exitValue(), out, out + "\n" + e);
  }

  static List<String> concat(List<String> a, String b) {
    List<String> l = new ArrayList<>(a);
    l.add(b);
    return l;
  }

  static String generate(String... flags) {
    List<String> args = new ArrayList<>(List.of("deploy", "env"));
    args.addAll(List.of(flags));
    return run(args.toArray(String[]::new));
  }

  static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = FarmCommand.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    assertEquals(0, exit, err.toString());
    return out.toString();
  }

  static Map<String, String> env(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int eq = line.indexOf('=');
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  /** Every {@code ${VAR:?...}} the compose file requires. */
  static Set<String> requiredVariables() {
    try {
      String text = Files.readString(DeployFiles.ROOT.resolve("docker-compose.yml"));
      java.util.regex.Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?").matcher(text);
      Set<String> out = new HashSet<>();
      while (m.find()) {
        out.add(m.group(1));
      }
      assertFalse(out.isEmpty());
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
