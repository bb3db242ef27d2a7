package io.cascadefarm.cli.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cli.Farm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code farm net keys} output equals the official manifests (minus numel and num_batches_tracked),
 * order included, for every network/variant the parity NOTES list.
 */
class NetKeysCommandTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "stage_c, big, stage_c_big_3.6B",
    "stage_c, lite, stage_c_lite_1B",
    "stage_b, big, stage_b_big_1.5B",
    "stage_b, lite, stage_b_lite_700M",
    "stage_a, , stage_a",
    "effnet, , effnet_encoder",
    "previewer, , previewer",
    "controlnet, canny, controlnet_canny",
    "controlnet, inpainting, controlnet_inpainting",
    "controlnet, super_resolution, controlnet_sr"
  })
  void keysEqualTheManifest(String network, String variant, String manifest) throws IOException {
    Farm run =
        variant == null
            ? Farm.run("net", "keys", "--network", network)
            : Farm.run("net", "keys", "--network", network, "--variant", variant);
    assertEquals(0, run.exitCode(), run.err());
    List<String> expected = manifest(manifest);
    List<String> actual = run.out().lines().collect(Collectors.toList());
    assertEquals(expected.size(), actual.size(), "number of keys");
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), "line " + (i + 1));
    }
  }

  @Test
  void clipTextKeysAreListed() {
    Farm run = Farm.run("net", "keys", "--network", "clip_text");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.out().contains("text_model.embeddings.token_embedding.weight\t[49408,1280]"),
        run.out().lines().limit(3).collect(Collectors.joining("\n")));
  }

  @Test
  void unknownNetworkAndVariantAreNamed() {
    Farm bad = Farm.run("net", "keys", "--network", "stage_z");
    assertEquals(1, bad.exitCode());
    assertTrue(bad.err().contains("unknown network 'stage_z'"), bad.err());
    Farm badVariant = Farm.run("net", "keys", "--network", "stage_c", "--variant", "x");
    assertEquals(1, badVariant.exitCode());
    assertTrue(badVariant.err().contains("unknown variant 'x'"), badVariant.err());
  }

  static List<String> manifest(String name) throws IOException {
    Path file = SharedFixtures.dir().resolve("manifests").resolve(name + ".keys.tsv");
    return Files.readAllLines(file).stream()
        .filter(l -> !l.isBlank())
        .map(l -> l.split("\t"))
        .filter(p -> !p[0].endsWith("num_batches_tracked"))
        .map(p -> p[0] + "\t" + p[1])
        .collect(Collectors.toList());
  }
}
