package io.cascadefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.embedded.ServiceEndpoints;
import io.cascadefarm.embedded.TestServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images' class paths as the build assembles them, and the Dockerfiles that use them: the
 * dispatcher carries no ML natives and still runs (started here against the embedded services from
 * exactly its assembled jars); the GPU worker cannot reach the CPU libtorch by any route (no jar on
 * its class path supplies a libtorch, and with an empty DJL cache and downloads off the engine
 * finds none); the CPU worker keeps the CPU jar; every Dockerfile runs as non-root, has a
 * HEALTHCHECK, pins its base images and assembles its own class path.
 */
class DeployImagesTest {
  /**
   * Jar names of ML natives: libtorch and DJL's JNI, ONNX Runtime, OpenCV, HF tokenizers (Rust).
   */
  static final Pattern ML_NATIVE_JAR =
      Pattern.compile(
          "(pytorch-native-.*|pytorch-jni-.*|onnxruntime.*|opencv-.*|tokenizers-.*)\\.jar");

  /** Entries that are ML native libraries, in any jar. */
  static final Pattern ML_NATIVE_ENTRY =
      Pattern.compile(
          ".*/(libtorch[^/]*|libc10[^/]*|libdjl_torch[^/]*|libonnxruntime[^/]*|libopencv[^/]*"
              + "|libtokenizers[^/]*|[^/]*opencv_java[^/]*)\\.(so[.0-9]*|dylib|dll)");

  @Test
  void everyImageHasAClassPathOfExistingJars() {
    for (String image : ImageClassPaths.IMAGES) {
      List<Path> jars = ImageClassPaths.jars(image);
      assertTrue(jars.size() > 50, image + " has only " + jars.size() + " jars");
      for (Path j : jars) {
        assertTrue(Files.isRegularFile(j), image + ": " + j + " is not in cli/target/lib");
      }
    }
  }

  @Test
  void theDispatcherImageHoldsNoMlNatives() {
    List<String> found = new ArrayList<>();
    for (Path jar : ImageClassPaths.jars("dispatcher")) {
      String name = jar.getFileName().toString();
      if (ML_NATIVE_JAR.matcher(name).matches()) {
        found.add(name);
      }
      for (String e : ImageClassPaths.entries(jar)) {
        if (ML_NATIVE_ENTRY.matcher(e).matches()) {
          found.add(name + "!" + e);
        }
      }
    }
    assertTrue(found.isEmpty(), "the dispatcher image would ship ML natives: " + found);
  }

  @Test
  void theCpuWorkerKeepsTheCpuLibtorchAndTheGpuWorkerCannotResolveIt() {
    assertTrue(
        names("worker-cpu").stream().anyMatch(n -> n.startsWith("pytorch-native-cpu-")),
        "the CPU worker needs the CPU libtorch jar");
    List<String> gpuNames = names("worker-gpu");
    List<String> found = new ArrayList<>();
    boolean cudaJni = false;
    for (Path jar : ImageClassPaths.jars("worker-gpu")) {
      for (String e : ImageClassPaths.entries(jar)) {
        // a bundled libtorch is announced by native/lib/pytorch.properties or shipped as a .so
        if (e.matches("(native/lib|pytorch)/.*(libtorch[^/]*\\.so|\\.gz)")
            || (e.equals("native/lib/pytorch.properties") && !isPlaceholder(jar, e))) {
          found.add(jar.getFileName() + "!" + e);
        }
        cudaJni |= e.equals("jnilib/linux-x86_64/cu128/libdjl_torch.so");
      }
    }
    assertTrue(found.isEmpty(), "the GPU image could still load a bundled libtorch: " + found);
    assertFalse(
        gpuNames.stream().anyMatch(n -> n.startsWith("pytorch-native-")), gpuNames.toString());
    assertTrue(cudaJni, "the GPU image needs DJL's cu128 JNI (pytorch-jni)");
  }

  private static boolean isPlaceholder(Path jar, String entry) {
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.toFile())) {
      String text =
          new String(z.getInputStream(z.getEntry(entry)).readAllBytes(), StandardCharsets.UTF_8);
      return text.contains("placeholder=true");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The GPU class path, run: with PYTORCH_FLAVOR=cu128, an empty DJL cache and downloads off (as
   * the container runs, minus the cache its build fills), the engine finds no libtorch at all. With
   * the CPU jar still on the class path it would have loaded that one and printed "flavor: cpu".
   */
  @Test
  void theGpuClassPathFindsNoLibtorchWithoutTheCudaCache(@TempDir Path tmp) throws Exception {
    Path image = tmp.resolve("worker-gpu");
    assemble("worker-gpu", image);
    Path cache = Files.createDirectories(tmp.resolve("djl-cache"));
    Run r =
        run(
            image,
            Map.of("DJL_CACHE_DIR", cache.toString(), "PYTORCH_FLAVOR", "cu128"),
            Duration.ofSeconds(120),
            "net",
            "engine-info");
    assertNotEquals(0, r.exit(), r.output());
    assertFalse(r.output().contains("flavor:"), r.output());
    assertTrue(
        r.output().toLowerCase(java.util.Locale.ROOT).contains("offline")
            || r.output().contains("download"),
        "DJL must have wanted to download the cu128 libtorch: " + r.output());
  }

  /** The assembled dispatcher image's jars run the real dispatcher: ready and accepting jobs. */
  @Test
  void theAssembledDispatcherRunsWithoutMlNatives(@TempDir Path tmp) throws Exception {
    Path image = tmp.resolve("dispatcher");
    assemble("dispatcher", image);
    ServiceEndpoints e = TestServices.endpoints();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = new java.util.HashMap<>();
    e.toProperties()
        .forEach(
            (k, v) ->
                env.put(
                    ((String) k)
                        .toUpperCase(java.util.Locale.ROOT)
                        .replace('.', '_')
                        .replace('-', '_'),
                    (String) v));
    env.put("FARM_HTTP_PORT", Integer.toString(port));
    env.put("FARM_HTTP_HOST", "127.0.0.1");
    env.put("FARM_AUTH_ENABLED", "false");
    env.put("FARM_KAFKA_TOPIC_PREFIX", "img-" + UUID.randomUUID().toString().substring(0, 8));
    env.put("FARM_KAFKA_JOB_PARTITIONS", "1");
    Process p = start(image, env, "dispatcher");
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      int ready = 0;
      while (System.nanoTime() < deadline && p.isAlive()) {
        try {
          ready =
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode();
          if (ready == 200) {
            break;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(250);
      }
      assertEquals(200, ready, "dispatcher never became ready: " + output(p));
      HttpResponse<String> job =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/jobs"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"prompt\":\"a cat\",\"model\":\"tiny\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(202, job.statusCode(), job.body());
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void dockerfilesRunAsNonRootWithAHealthCheckPinnedBasesAndTheirOwnClassPath() throws Exception {
    Map<String, String> imageOf =
        Map.of(
            "Dockerfile.dispatcher", "dispatcher",
            "Dockerfile.worker-cpu", "worker-cpu",
            "Dockerfile.worker", "worker-gpu");
    Pattern from = Pattern.compile("(?m)^FROM\\s+(\\S+)");
    Pattern copyFrom = Pattern.compile("--from=(\\S+:\\S+)");
    for (Map.Entry<String, String> d : imageOf.entrySet()) {
      String text = Files.readString(DeployFiles.ROOT.resolve("deploy/docker/" + d.getKey()));
      String name = d.getKey();
      assertTrue(
          text.contains("deploy/docker/assemble-lib.sh " + d.getValue() + " "),
          name + " must assemble the " + d.getValue() + " class path");
      assertFalse(text.contains("cli/target/lib/"), name + " must not copy all of cli/target/lib");
      Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(text);
      String last = null;
      while (user.find()) {
        last = user.group(1);
      }
      assertTrue(last != null && !last.startsWith("root") && !last.startsWith("0"), name + " USER");
      assertTrue(text.matches("(?s).*\\nHEALTHCHECK .*CMD .*"), name + " has no HEALTHCHECK");
      List<String> images = new ArrayList<>();
      Matcher m = from.matcher(text);
      while (m.find()) {
        images.add(m.group(1));
      }
      Matcher c = copyFrom.matcher(text);
      while (c.find()) {
        images.add(c.group(1));
      }
      for (String i : images) {
        if (i.equals("build")) {
          continue;
        }
        assertTrue(i.contains(":") && !i.endsWith(":latest"), name + " base not pinned: " + i);
        assertTrue(i.matches(".*:[^:]*\\d.*"), name + " base tag has no version: " + i);
      }
      assertTrue(
          text.contains("docker build -f deploy/docker/" + name + " -t "), name + " command");
    }
    String gpu = Files.readString(DeployFiles.ROOT.resolve("deploy/docker/Dockerfile.worker"));
    assertTrue(gpu.contains("PYTORCH_FLAVOR=cu128"), "DJL publishes cu128 for libtorch 2.7.1");
    assertFalse(gpu.contains("FLAVOR=cu126"), "no cu126 build exists for libtorch 2.7.1");
    assertTrue(gpu.contains("-Dai.djl.offline=false"), "the warm-up must be allowed to download");
    assertTrue(gpu.contains("grep -Eq '^flavor: +cu128'"), "the build must verify the flavor");
  }

  private static List<String> names(String image) {
    return ImageClassPaths.jars(image).stream().map(p -> p.getFileName().toString()).toList();
  }

  static void assemble(String image, Path out) throws Exception {
    Process p =
        new ProcessBuilder(
                "bash",
                DeployFiles.ROOT.resolve("deploy/docker/assemble-lib.sh").toString(),
                image,
                out.toString())
            .redirectErrorStream(true)
            .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), text);
  }

  record Run(int exit, String output) {}

  static Process start(Path image, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ImageClassPaths.java());
    cmd.add("-Xmx512m");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-cp");
    cmd.add(image.resolve("farm-cli.jar") + ":" + image.resolve("lib") + "/*");
    cmd.add("io.cascadefarm.cli.FarmCommand");
    cmd.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
    b.environment().keySet().removeIf(k -> k.startsWith("FARM_") || k.startsWith("PYTORCH_"));
    b.environment().putAll(env);
    b.redirectOutput(image.resolveSibling(image.getFileName() + ".log").toFile());
    return b.start();
  }

  static String output(Process p) {
    return "(see the .log beside the assembled image)";
  }

  static Run run(Path image, Map<String, String> env, Duration limit, String... args)
      throws Exception {
    Process p = start(image, env, args);
    if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    String out =
        Files.readString(
            image.resolveSibling(image.getFileName() + ".log"), StandardCharsets.UTF_8);
    return new Run(p.exitValue(), out);
  }
}
