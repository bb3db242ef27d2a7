package io.cascadefarm.cli.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Downloads one file into {@code <target>.part}, resuming with HTTP Range from the bytes already
 * there (also after a dropped connection, up to {@code retries} times), then checks size and hash
 * against the hub metadata and only then moves it to {@code target}. A file that fails the check is
 * deleted, never kept as valid.
 */
public final class Downloader {
  private final HubClient client;
  private final int retries;
  private final DownloadListener listener;

  public Downloader(HubClient client, int retries, DownloadListener listener) {
    this.client = client;
    this.retries = retries;
    this.listener = listener == null ? DownloadListener.NONE : listener;
  }

  /** Part file of a target. */
  public static Path partFile(Path target) {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  /** Downloads {@code file} (described by {@code meta}) to {@code target}. */
  public void download(FileRef file, HubFile meta, Path target)
      throws IOException, InterruptedException {
    Files.createDirectories(target.getParent());
    Path part = partFile(target);
    long have = Files.isRegularFile(part) ? Files.size(part) : 0;
    if (have > meta.size()) {
      listener.note(file + ": partial file is larger than the hub's size; starting over");
      Files.delete(part);
      have = 0;
    }
    DiskSpace.require(target.getParent(), meta.size() - have, file);
    listener.started(file, have, meta.size());
    int attempt = 0;
    while (have < meta.size()) {
      try {
        have = fetch(file, part, have, meta.size());
      } catch (IOException e) {
        DiskSpace.rethrowIfFull(e, target.getParent(), file);
        if (attempt++ >= retries) {
          throw new HubException(
              "download of "
                  + file
                  + " interrupted at "
                  + Files.size(part)
                  + " of "
                  + meta.size()
                  + " bytes ("
                  + e.getMessage()
                  + "); run the pull again to resume",
              0,
              e);
        }
        have = Files.size(part);
        listener.note(file + ": connection lost (" + e.getMessage() + "), resuming at " + have);
      }
    }
    verify(file, meta, part);
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    listener.finished(file, meta.size());
  }

  private long fetch(FileRef file, Path part, long have, long total)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> r = client.open(file, have);
    boolean append = r.statusCode() == 206;
    if (r.statusCode() == 416) {
      r.body().close();
      return Files.size(part);
    }
    if (!append && have > 0) {
      listener.note(file + ": server ignored the range request; downloading from the start");
      have = 0;
    }
    StandardOpenOption mode =
        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = r.body();
        OutputStream out =
            Files.newOutputStream(
                part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        out.write(buf, 0, n);
        have += n;
        listener.progress(file, have, total);
        if (have > total) {
          break;
        }
      }
    }
    if (have > total) {
      Files.delete(part);
      throw new HubException(
          file + ": server sent more than the " + total + " bytes the hub lists");
    }
    if (have < total) {
      throw new IOException("connection closed after " + have + " of " + total + " bytes");
    }
    return have;
  }

  private void verify(FileRef file, HubFile meta, Path part) throws IOException {
    long size = Files.size(part);
    String problem =
        size != meta.size()
            ? "size " + size + " != expected " + meta.size()
            : !Checksums.hasHash(meta)
                ? "the hub lists no hash for it, so it cannot be verified"
                : Checksums.mismatch(part, meta);
    if (problem != null) {
      Files.deleteIfExists(part);
      throw new HubException(
          file + " is corrupt (" + problem + "); the download was deleted, run the pull again");
    }
  }
}
