package io.cascadefarm.cli.local;

import java.nio.file.Path;

/**
 * The model directory: {@code --models-dir}, else {@code $FARM_MODELS_DIR}, else {@code ./models}.
 */
final class ModelsDir {
  static final String ENV = "FARM_MODELS_DIR";

  private ModelsDir() {}

  static Path resolve(Path option) {
    if (option != null) {
      return option;
    }
    String env = System.getenv(ENV);
    return Path.of(env == null || env.isBlank() ? "models" : env);
  }
}
