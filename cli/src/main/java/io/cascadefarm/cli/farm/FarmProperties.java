package io.cascadefarm.cli.farm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code <data-dir>/farm.properties}: the connection settings of a standalone farm's
 * services and its HTTP port, for {@code farm worker --config} and {@code farm dispatcher
 * --config}.
 */
public final class FarmProperties {
  public static final String FILE_NAME = "farm.properties";

  private FarmProperties() {}

  /**
   * Writes the settings (sorted) and returns the file, readable by its owner only: it holds the
   * services' generated credentials.
   */
  static Path write(Path dataDir, Map<String, String> settings) {
    Path file = dataDir.resolve(FILE_NAME);
    ownerOnly(file);
    try (Writer w = Files.newBufferedWriter(file)) {
      w.write("# Written by `farm standalone`: the settings of this farm's services.\n");
      w.write("# Holds the generated database and S3 credentials: keep it private (mode 600).\n");
      w.write("# Join the farm: farm worker --config " + file + "\n");
      w.write("#                farm dispatcher --config " + file + " --port 8081\n");
      for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
        w.write(escape(e.getKey()) + "=" + escape(e.getValue()) + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /** Creates {@code file} empty with mode 600 (where the file system has POSIX permissions). */
  static void ownerOnly(Path file) {
    try {
      Files.deleteIfExists(file);
      try {
        Files.createFile(
            file,
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\");
  }
}
