package io.cascadefarm.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether Testcontainers could work here. When there is no hint of a Docker engine at all
 * (no {@code DOCKER_HOST}, no socket in the usual places, no {@code ~/.testcontainers.properties})
 * it answers false without asking Testcontainers, which would otherwise log an ERROR with a stack
 * of failed strategies in every test JVM. Otherwise it asks {@code
 * DockerClientFactory.instance().isDockerAvailable()}.
 */
final class DockerProbe {
  private DockerProbe() {}

  static boolean testcontainersOnClasspath() {
    try {
      Class.forName(
          "org.testcontainers.DockerClientFactory", false, DockerProbe.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static boolean dockerAvailable() {
    if (!testcontainersOnClasspath() || !anyDockerHint()) {
      return false;
    }
    return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
  }

  static boolean anyDockerHint() {
    if (System.getenv("DOCKER_HOST") != null) {
      return true;
    }
    return candidateFiles().stream().anyMatch(Files::exists);
  }

  private static List<Path> candidateFiles() {
    String home = System.getProperty("user.home");
    List<Path> files = new ArrayList<>();
    files.add(Path.of("/var/run/docker.sock"));
    files.add(Path.of("/run/docker.sock"));
    files.add(Path.of(home, ".docker", "run", "docker.sock"));
    files.add(Path.of(home, ".docker", "desktop", "docker.sock"));
    files.add(Path.of(home, ".testcontainers.properties"));
    String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
    if (runtimeDir != null) {
      files.add(Path.of(runtimeDir, "docker.sock"));
      files.add(Path.of(runtimeDir, "podman", "podman.sock"));
    }
    return files;
  }
}
