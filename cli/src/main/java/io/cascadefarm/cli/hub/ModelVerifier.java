package io.cascadefarm.cli.hub;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code farm models verify}: for every model file present, its size and hash against the cached
 * hub metadata (when a pull cached it) and its keys/shapes against the network declarations.
 */
public final class ModelVerifier {
  private ModelVerifier() {}

  /** Outcome for one file; {@code problems} empty = OK; {@code notes} say what was not checked. */
  public record Result(FileRef ref, List<String> problems, List<String> notes) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** Verifies every present file; {@code hashes} = also compute SHA-256 (reads every byte). */
  public static List<Result> verify(Path modelsDir, boolean hashes) throws IOException {
    Map<String, Optional<HubMetadata>> meta = new HashMap<>();
    List<Result> out = new ArrayList<>();
    for (ModelInventory.FileStatus s : ModelInventory.presentFiles(modelsDir)) {
      List<String> problems = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      FileRef f = s.ref();
      if (!s.present()) {
        problems.add("only a partial download (" + s.partial() + " bytes); run farm models pull");
        out.add(new Result(f, problems, notes));
        continue;
      }
      Optional<HubMetadata> m = meta.computeIfAbsent(f.repo(), r -> cached(modelsDir, r));
      Optional<HubFile> hf = m.flatMap(x -> x.file(f.path()));
      if (hf.isEmpty()) {
        notes.add("no cached hub metadata: size/hash not checked");
      } else if (hf.get().size() != s.size()) {
        problems.add("size " + s.size() + " != hub size " + hf.get().size());
      } else if (hashes && Checksums.hasHash(hf.get())) {
        String mismatch = Checksums.mismatch(s.local(), hf.get());
        if (mismatch != null) {
          problems.add(mismatch);
        }
      } else if (!hashes) {
        notes.add("hash not checked (--no-hash)");
      }
      if (f.path().endsWith(".safetensors")) {
        String keys = NetworkKeys.check(f.path(), s.local());
        if (keys != null) {
          problems.add(
              "keys do not match the "
                  + String.join(" ", nonNull(NetworkKeys.networkOf(f.path())))
                  + " declaration: "
                  + keys);
        }
      }
      out.add(new Result(f, problems, notes));
    }
    return out;
  }

  private static List<String> nonNull(String[] parts) {
    List<String> out = new ArrayList<>();
    for (String p : parts) {
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  private static Optional<HubMetadata> cached(Path modelsDir, String repo) {
    try {
      return HubMetadata.cached(modelsDir, repo);
    } catch (IOException | HubException e) {
      return Optional.empty();
    }
  }
}
