package io.cascadefarm.cli.local;

import java.nio.file.Path;

/** Output names of several images: {@code out.png}, {@code out-1.png}, {@code out-2.png}, ... */
final class PngFiles {
  private PngFiles() {}

  static Path nth(Path out, int index) {
    if (index == 0) {
      return out;
    }
    String name = out.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : ".png";
    return out.resolveSibling(stem + "-" + index + ext);
  }
}
