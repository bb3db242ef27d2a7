package io.cascadefarm.cascade.net.stagec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cascadefarm.cascade.nn.NetworkCatalog;
import io.cascadefarm.cascade.testing.TestResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stage B/C key listings equal the official manifests (order, names, shapes). */
class StageKeyListingTest {

  @ParameterizedTest
  @CsvSource({
    "stage_c, big, stage_c_big_3.6B, keys_stage_c",
    "stage_c, lite, stage_c_lite_1B, keys_stage_c_lite",
    "stage_b, big, stage_b_big_1.5B, keys_stage_b",
    "stage_b, lite, stage_b_lite_700M, keys_stage_b_lite"
  })
  void keysEqualManifest(String network, String variant, String manifest, String docKeys)
      throws Exception {
    StringBuilder out = new StringBuilder();
    NetworkCatalog.printKeys(network, variant, out);
    List<String> ours = out.toString().lines().collect(Collectors.toList());
    List<String> expected =
        Files.readAllLines(TestResources.parity().resolve("manifests/" + manifest + ".keys.tsv"))
            .stream()
            .filter(l -> !l.isBlank() && !l.contains("num_batches_tracked"))
            .map(l -> l.substring(0, l.lastIndexOf('\t')))
            .collect(Collectors.toList());
    assertEquals(expected, ours);
    Path doc =
        Path.of(
            System.getProperty("farm.shared.dir", "../../shared"),
            "docs",
            "keys",
            docKeys + ".txt");
    if (Files.isRegularFile(doc)) {
      List<String> docs =
          Files.readAllLines(doc).stream()
              .filter(l -> !l.isBlank() && !l.contains("num_batches_tracked"))
              .map(l -> l.split("\t"))
              .map(p -> p[0] + "\t" + p[1].replace(" ", ""))
              .collect(Collectors.toList());
      assertEquals(docs, ours);
    }
  }

  @ParameterizedTest
  @CsvSource({"stage_c, huge", "stage_b, tiny"})
  void unknownVariantIsRejected(String network, String variant) {
    assertThrows(IllegalArgumentException.class, () -> NetworkCatalog.declare(network, variant));
  }
}
