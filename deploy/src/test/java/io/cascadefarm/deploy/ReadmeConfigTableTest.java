package io.cascadefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.ConfigKey;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.config.WorkerConfig;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every configuration key a process reads is documented in the README with its env var. */
class ReadmeConfigTableTest {

  @Test
  void readmeDocumentsEveryKeyAndEnvVar() throws Exception {
    String readme = Files.readString(DeployFiles.ROOT.resolve("README.md"));
    List<ConfigKey> keys = new ArrayList<>(DispatcherConfig.keys());
    keys.addAll(WorkerConfig.keys());
    List<String> missing = new ArrayList<>();
    for (ConfigKey k : keys) {
      if (!readme.contains("`" + k.name() + "`") || !readme.contains("`" + k.envVar() + "`")) {
        missing.add(k.name());
      }
    }
    assertTrue(missing.isEmpty(), "README lacks config rows for " + missing);
  }
}
