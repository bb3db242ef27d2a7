package io.cascadefarm.cascade.net.stagea;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.NetworkCatalog;
import io.cascadefarm.cascade.tools.parity.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** Compares a declared network's key listing with a {@code manifests/*.keys.tsv} file. */
public final class KeyManifest {
  private KeyManifest() {}

  /** {@code key<TAB>[shape]} lines of a manifest, without numel and num_batches_tracked. */
  public static List<String> expected(String manifest) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line :
        Files.readAllLines(
            Fixtures.dir().resolve("manifests").resolve(manifest), StandardCharsets.UTF_8)) {
      String[] cols = line.split("\t");
      if (cols.length >= 2 && !cols[0].endsWith("num_batches_tracked")) {
        out.add(cols[0] + "\t" + cols[1]);
      }
    }
    return out;
  }

  /** Asserts the catalog listing of {@code network}/{@code variant} equals the manifest. */
  public static void assertCatalogMatches(String network, String variant, String manifest)
      throws IOException {
    StringBuilder printed = new StringBuilder();
    NetworkCatalog.printKeys(network, variant, printed);
    List<String> expected = expected(manifest);
    assertEquals(String.join("\n", expected), printed.toString().strip());
  }

  /** Asserts a module's key listing equals the manifest. */
  public static void assertModuleMatches(Module module, String manifest) throws IOException {
    assertEquals(
        String.join("\n", expected(manifest)), String.join("\n", NetworkCatalog.keyLines(module)));
  }
}
