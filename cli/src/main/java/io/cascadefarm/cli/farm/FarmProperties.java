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

  /** Writes the settings (sorted) and returns the file. */
  static Path write(Path dataDir, Map<String, String> settings) {
    Path file = dataDir.resolve(FILE_NAME);
    try (Writer w = Files.newBufferedWriter(file)) {
      w.write("# Written by `farm standalone`: the settings of this farm's services.\n");
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

  private static String escape(String s) {
    return s.replace("\\", "\\\\");
  }
}
