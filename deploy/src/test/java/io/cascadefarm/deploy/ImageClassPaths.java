package io.cascadefarm.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The per-image class paths the build assembles ({@code cli/target/image/<image>.classpath},
 * entries {@code lib/<jar>} relative to {@code cli/target}; see cli/pom.xml), and what their jars
 * hold.
 */
final class ImageClassPaths {
  static final List<String> IMAGES = List.of("dispatcher", "worker-cpu", "worker-gpu");

  private ImageClassPaths() {}

  static Path cliTarget() {
    return DeployFiles.ROOT.resolve("cli/target");
  }

  /** The jars of one image, as paths under cli/target. */
  static List<Path> jars(String image) {
    Path list = cliTarget().resolve("image/" + image + ".classpath");
    if (!Files.isRegularFile(list)) {
      throw new IllegalStateException(
          list
              + " is missing: the cli module's package phase writes it (./mvnw install -pl cli -am)");
    }
    try {
      List<Path> out = new ArrayList<>();
      for (String entry : Files.readString(list).trim().split(":")) {
        if (!entry.isBlank()) {
          out.add(cliTarget().resolve(entry.trim()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every entry name of a jar. */
  static List<String> entries(Path jar) {
    try (ZipFile z = new ZipFile(jar.toFile())) {
      return z.stream().map(ZipEntry::getName).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar, e);
    }
  }

  /** The java launcher of the JVM running the tests. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
