package io.cascadefarm.cli.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What is on disk per variant and dtype ({@code farm models list}). */
public final class ModelInventory {
  private ModelInventory() {}

  /** A needed file and its local size (-1 = missing; {@code partial} = bytes in a .part file). */
  public record FileStatus(FileRef ref, Path local, long size, long partial) {
    public boolean present() {
      return size >= 0;
    }
  }

  /** One variant/dtype combination. */
  public record Entry(String variant, String dtype, List<FileStatus> files) {
    public boolean complete() {
      return files.stream().allMatch(FileStatus::present);
    }

    public long bytes() {
      return files.stream().filter(FileStatus::present).mapToLong(FileStatus::size).sum();
    }

    public List<FileStatus> missing() {
      return files.stream().filter(f -> !f.present()).toList();
    }
  }

  public static List<Entry> scan(Path modelsDir) throws IOException {
    List<Entry> out = new ArrayList<>();
    for (String v : VariantFiles.VARIANTS) {
      for (String d : VariantFiles.DTYPES) {
        List<FileStatus> files = new ArrayList<>();
        for (FileRef f : VariantFiles.files(v, d)) {
          files.add(status(modelsDir, f));
        }
        out.add(new Entry(v, d, files));
      }
    }
    return out;
  }

  /** Every known file (all variants, dtypes) that is present, once each. */
  public static List<FileStatus> presentFiles(Path modelsDir) throws IOException {
    Set<FileRef> refs = new LinkedHashSet<>();
    for (String v : VariantFiles.VARIANTS) {
      for (String d : VariantFiles.DTYPES) {
        refs.addAll(VariantFiles.files(v, d));
      }
    }
    List<FileStatus> out = new ArrayList<>();
    for (FileRef f : refs) {
      FileStatus s = status(modelsDir, f);
      if (s.present() || s.partial() > 0) {
        out.add(s);
      }
    }
    return out;
  }

  static FileStatus status(Path modelsDir, FileRef f) throws IOException {
    Path local = f.local(modelsDir);
    Path part = Downloader.partFile(local);
    long size = Files.isRegularFile(local) ? Files.size(local) : -1;
    long partial = Files.isRegularFile(part) ? Files.size(part) : 0;
    return new FileStatus(f, local, size, partial);
  }
}
