package io.cascadefarm.embedded;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.Uuid;

/**
 * Formats a KRaft log directory with {@code kafka.tools.StorageTool} unless it already holds a
 * {@code meta.properties} (so a persistent broker keeps its topics, offsets and cluster id).
 */
final class KafkaStorage {
  private KafkaStorage() {}

  static boolean isFormatted(Path logDir) {
    return Files.exists(logDir.resolve("meta.properties"));
  }

  /** Returns true if it formatted, false if the directory was already formatted. */
  static boolean formatIfNeeded(Path logDir, Path serverProperties) {
    if (isFormatted(logDir)) {
      return false;
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    String[] args = {
      "format", "-t", Uuid.randomUuid().toString(), "-c", serverProperties.toString(), "-g"
    };
    int code;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      code = kafka.tools.StorageTool.execute(args, out);
    }
    if (code != 0) {
      throw new IllegalStateException(
          "Kafka StorageTool format of "
              + logDir
              + " failed with code "
              + code
              + ": "
              + output.toString(StandardCharsets.UTF_8));
    }
    return true;
  }
}
