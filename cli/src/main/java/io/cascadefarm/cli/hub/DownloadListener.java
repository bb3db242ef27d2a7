package io.cascadefarm.cli.hub;

/** Progress of a pull: one call per file start, per chunk written, and per file end. */
public interface DownloadListener {
  DownloadListener NONE = new DownloadListener() {};

  /** A file begins; {@code already} bytes are on disk from an earlier, interrupted download. */
  default void started(FileRef file, long already, long total) {}

  default void progress(FileRef file, long done, long total) {}

  /** A message worth showing (resume, retry, skip). */
  default void note(String message) {}

  default void finished(FileRef file, long total) {}
}
