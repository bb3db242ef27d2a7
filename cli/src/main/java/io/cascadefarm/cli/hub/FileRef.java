package io.cascadefarm.cli.hub;

import java.nio.file.Path;

/**
 * A file of a hub repo and where it lives locally: {@code <models-dir>/<repo name>/<path>} (the
 * layout {@link io.cascadefarm.cascade.model.ModelLayout} reads).
 */
public record FileRef(String repo, String path) {

  /** The repo name without its owner, e.g. {@code stable-cascade}. */
  public String repoName() {
    return repo.substring(repo.indexOf('/') + 1);
  }

  public Path local(Path modelsDir) {
    return modelsDir.resolve(repoName()).resolve(path);
  }

  @Override
  public String toString() {
    return repo + "/" + path;
  }
}
