package io.cascadefarm.cli.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The file list of one repo revision as the hub reports it. Parses both Hugging Face forms: {@code
 * GET /api/models/{repo}/revision/main?blobs=true} (object with {@code siblings[]: rfilename, size,
 * blobId, lfs.sha256}) and {@code GET /api/models/{repo}/tree/main} (array of {@code path, size,
 * oid, lfs.oid}). The raw JSON is cached under {@code <models-dir>/.hub/} so that {@code farm
 * models verify} can check hashes offline.
 */
public final class HubMetadata {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String repo;
  private final String revision;
  private final Map<String, HubFile> files;
  private final String raw;

  private HubMetadata(String repo, String revision, Map<String, HubFile> files, String raw) {
    this.repo = repo;
    this.revision = revision;
    this.files = files;
    this.raw = raw;
  }

  /** Parses a hub answer for {@code repo}. */
  public static HubMetadata parse(String repo, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new HubException("hub metadata for " + repo + " is not JSON: " + e.getMessage());
    }
    Map<String, HubFile> files = new LinkedHashMap<>();
    if (root.isArray()) {
      root.forEach(n -> add(files, n, "path", "oid", n.path("lfs").path("oid")));
    } else if (root.has("siblings")) {
      root.get("siblings")
          .forEach(n -> add(files, n, "rfilename", "blobId", n.path("lfs").path("sha256")));
    } else {
      throw new HubException("hub metadata for " + repo + " has neither siblings nor a file list");
    }
    return new HubMetadata(repo, root.path("sha").asText(null), files, json);
  }

  private static void add(
      Map<String, HubFile> files, JsonNode n, String pathField, String blobField, JsonNode sha) {
    if (n.has("type") && !"file".equals(n.path("type").asText())) {
      return;
    }
    String path = n.path(pathField).asText(null);
    if (path == null) {
      return;
    }
    JsonNode lfs = n.path("lfs");
    long size = lfs.has("size") ? lfs.path("size").asLong(-1) : n.path("size").asLong(-1);
    String blob = n.path(blobField).asText(null);
    files.put(path, new HubFile(path, size, sha.isTextual() ? sha.asText() : null, blob));
  }

  public String repo() {
    return repo;
  }

  /** Commit id of the revision when the hub reports it, else null. */
  public String revision() {
    return revision;
  }

  public Optional<HubFile> file(String path) {
    return Optional.ofNullable(files.get(path));
  }

  public Map<String, HubFile> files() {
    return files;
  }

  /** Cache file of {@code repo} under a models directory. */
  public static Path cacheFile(Path modelsDir, String repo) {
    return modelsDir.resolve(".hub").resolve(repo.replace('/', '-') + ".json");
  }

  public void save(Path modelsDir) throws IOException {
    Path file = cacheFile(modelsDir, repo);
    Files.createDirectories(file.getParent());
    Files.writeString(file, raw, StandardCharsets.UTF_8);
  }

  /** The cached metadata of {@code repo}, if any. */
  public static Optional<HubMetadata> cached(Path modelsDir, String repo) throws IOException {
    Path file = cacheFile(modelsDir, repo);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(parse(repo, Files.readString(file, StandardCharsets.UTF_8)));
  }
}
