package io.cascadefarm.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small file-system helpers for service home directories. */
final class Dirs {
  private Dirs() {}

  static Path create(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directory " + dir, e);
    }
  }

  static Path createTemp(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory " + prefix, e);
    }
  }

  /** Deletes a directory tree, best effort (files that vanish meanwhile are ignored). */
  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(Dirs::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      // best effort: a temp dir left behind is harmless
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // best effort
    }
  }

  /** The last {@code maxChars} characters of a text file, or "" if it cannot be read. */
  static String tail(Path file, int maxChars) {
    try {
      String text = Files.readString(file);
      return text.length() <= maxChars ? text : text.substring(text.length() - maxChars);
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }
}
