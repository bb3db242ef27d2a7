package io.cascadefarm.cli.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code farm models pull}: fetches the hub metadata of the repos a variant uses (cached under
 * {@code .hub/}), checks free space for what is missing, and downloads each missing file with
 * {@link Downloader}. A file already present is kept only when it has the hub's size AND its hash
 * (SHA-256 of LFS files, git blob SHA-1 of the rest); a file of the right size with other bytes is
 * downloaded again. The hub must give a hash for every file: an unhashed file is never kept.
 */
public final class ModelPull {
  private final HubClient client;
  private final Path modelsDir;
  private final DownloadListener listener;
  private final int retries;

  public ModelPull(HubClient client, Path modelsDir, DownloadListener listener, int retries) {
    this.client = client;
    this.modelsDir = modelsDir;
    this.listener = listener == null ? DownloadListener.NONE : listener;
    this.retries = retries;
  }

  /** Result of a pull: files downloaded and files that were already there. */
  public record Report(List<FileRef> downloaded, List<FileRef> present, long bytesDownloaded) {}

  public Report pull(String variant, String dtype) throws IOException, InterruptedException {
    return pull(VariantFiles.files(variant, dtype), variant);
  }

  /** Downloads the missing ones of {@code files} ({@code label} names them in messages). */
  public Report pull(List<FileRef> files, String label) throws IOException, InterruptedException {
    String variant = label;
    Map<String, HubMetadata> meta = new LinkedHashMap<>();
    for (FileRef f : files) {
      if (!meta.containsKey(f.repo())) {
        HubMetadata m = client.metadata(f.repo());
        Files.createDirectories(modelsDir);
        m.save(modelsDir);
        meta.put(f.repo(), m);
      }
    }
    List<FileRef> todo = new ArrayList<>();
    List<FileRef> present = new ArrayList<>();
    long remaining = 0;
    for (FileRef f : files) {
      HubFile hf = describe(meta.get(f.repo()), f);
      Path target = f.local(modelsDir);
      if (Files.isRegularFile(target)
          && Files.size(target) == hf.size()
          && Checksums.mismatch(target, hf) == null) {
        present.add(f);
      } else {
        todo.add(f);
        Path part = Downloader.partFile(target);
        remaining +=
            hf.size() - (Files.isRegularFile(part) ? Math.min(Files.size(part), hf.size()) : 0);
      }
    }
    DiskSpace.require(modelsDir, remaining, new FileRef(VariantFiles.CASCADE, "(" + variant + ")"));
    for (FileRef f : present) {
      listener.note(f + ": present with the hub's size and hash, kept");
    }
    Downloader d = new Downloader(client, retries, listener);
    long bytes = 0;
    for (FileRef f : todo) {
      HubFile hf = describe(meta.get(f.repo()), f);
      Path target = f.local(modelsDir);
      if (Files.isRegularFile(target)) {
        listener.note(f + ": size or hash differs from the hub's, downloading again");
        Files.delete(target);
      }
      d.download(f, hf, target);
      bytes += hf.size();
    }
    return new Report(todo, present, bytes);
  }

  private static HubFile describe(HubMetadata m, FileRef f) {
    HubFile hf =
        m.file(f.path())
            .orElseThrow(
                () ->
                    new HubException(
                        "the hub lists no file "
                            + f.path()
                            + " in "
                            + f.repo()
                            + " (revision "
                            + m.revision()
                            + "); wrong --endpoint or repo layout"));
    if (!Checksums.hasHash(hf)) {
      throw new HubException(
          "the hub lists no hash for "
              + f
              + " (revision "
              + m.revision()
              + "): refusing to download a file that cannot be verified");
    }
    return hf;
  }
}
