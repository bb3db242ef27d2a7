package io.cascadefarm.cli.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free-space checks before and during downloads, with a clear message when the disk is full. */
final class DiskSpace {
  private DiskSpace() {}

  static void require(Path dir, long bytes, FileRef file) throws IOException {
    long free = Files.getFileStore(dir).getUsableSpace();
    if (bytes > free) {
      throw new HubException(
          "not enough disk space for "
              + file
              + ": needs "
              + gib(bytes)
              + " more, "
              + gib(free)
              + " free in "
              + dir
              + " (free space or choose another --models-dir)");
    }
  }

  static void rethrowIfFull(IOException e, Path dir, FileRef file) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("No space left") || m.contains("Disk quota")) {
      throw new HubException(
          "disk full while writing "
              + file
              + " in "
              + dir
              + " ("
              + m
              + "); free space and run"
              + " the pull again to resume",
          0,
          e);
    }
  }

  static String gib(long bytes) {
    return String.format("%.2f GiB", bytes / 1073741824.0);
  }
}
