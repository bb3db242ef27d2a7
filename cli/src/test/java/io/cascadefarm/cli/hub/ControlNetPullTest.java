package io.cascadefarm.cli.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.model.ModelLayout;
import io.cascadefarm.common.digest.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm models pull --controlnets}: every official ControlNet file lands where the pipeline
 * reads it, and the saliency model (a legacy {@code torch.save} file, here the one
 * tools/pipeline-gen wrote from the official MicroResNet class) is fetched, checked against its
 * pinned hash and converted to {@code controlnet/saliency.safetensors}; a file that is not the
 * pinned one is refused and nothing is written.
 */
class ControlNetPullTest {
  static final Path FIXTURE =
      Path.of(
          "..", "cascade", "src", "test", "resources", "pipeline-fixtures", "saliency_legacy.pt");

  @TempDir Path dir;
  LocalHub hub;

  @BeforeEach
  void publish() throws Exception {
    hub = new LocalHub();
    Random random = new Random(7);
    for (FileRef f : VariantFiles.controlNets()) {
      byte[] b = new byte[4_000 + random.nextInt(4_000)];
      random.nextBytes(b);
      hub.put(f.repo(), f.path(), b);
    }
    hub.put("official/repo", "saliency_model.pt", Files.readAllBytes(FIXTURE));
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  SaliencyPull.Source source(String sha) throws Exception {
    return new SaliencyPull.Source(
        hub.endpoint() + "/official/repo/resolve/main/saliency_model.pt", Files.size(FIXTURE), sha);
  }

  @Test
  void controlNetsAndSaliencyLandWhereThePipelineReadsThem() throws Exception {
    ModelPull.Report r =
        new ModelPull(new HubClient(hub.endpoint(), null), dir, DownloadListener.NONE, 0)
            .pull(VariantFiles.controlNets(), "controlnets");
    assertEquals(3, r.downloaded().size());
    ModelLayout layout = new ModelLayout(dir);
    for (String type : VariantFiles.CONTROLNETS) {
      assertTrue(Files.isRegularFile(layout.controlNet(type)), type);
    }
    String sha = Sha256.hex(Files.readAllBytes(FIXTURE));
    List<String> notes = new ArrayList<>();
    DownloadListener l =
        new DownloadListener() {
          @Override
          public void note(String message) {
            notes.add(message);
          }
        };
    assertTrue(SaliencyPull.pull(source(sha), dir, l));
    Path saliency = dir.resolve(SaliencyPull.TARGET);
    assertEquals(layout.controlNet("saliency"), saliency);
    try (SafetensorsReader st = SafetensorsReader.open(saliency)) {
      assertEquals(35, st.tensors().size());
      assertArrayEquals(new long[] {8, 3, 9, 9}, st.info("downsampler.1.weight").shape());
    }
    assertFalse(SaliencyPull.pull(source(sha), dir, l), "present: kept");
    assertTrue(notes.stream().anyMatch(n -> n.contains("present, kept")), notes.toString());
  }

  @Test
  void aFileThatIsNotThePinnedOneIsRefused() throws Exception {
    HubException e =
        assertThrows(
            HubException.class,
            () -> SaliencyPull.pull(source("0".repeat(64)), dir, DownloadListener.NONE));
    assertTrue(e.getMessage().contains("not the pinned file"), e.getMessage());
    assertFalse(Files.exists(dir.resolve(SaliencyPull.TARGET)));
  }

  @Test
  void theOfficialSourceIsPinned() {
    assertTrue(SaliencyPull.OFFICIAL.url().contains("7a7d341f729ccaa042920a1fac3e7b9326079aca"));
    assertEquals(64, SaliencyPull.OFFICIAL.sha256().length());
  }
}
