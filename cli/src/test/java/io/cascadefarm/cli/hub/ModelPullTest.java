package io.cascadefarm.cli.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelPull} against {@link LocalHub}: happy path, resume, corruption, gated repo, 404. */
class ModelPullTest {
  @TempDir Path dir;
  LocalHub hub;
  final List<FileRef> files = VariantFiles.files("lite", "bf16");
  final FileRef stageC = new FileRef(VariantFiles.CASCADE, "stage_c_lite_bf16.safetensors");
  final FileRef stageB = new FileRef(VariantFiles.CASCADE, "stage_b_lite_bf16.safetensors");

  @BeforeEach
  void publish() throws Exception {
    hub = new LocalHub();
    Random random = new Random(42);
    for (FileRef f : files) {
      byte[] b = new byte[f.equals(stageC) ? 300_000 : 5_000 + random.nextInt(5_000)];
      random.nextBytes(b);
      hub.put(f.repo(), f.path(), b);
    }
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  ModelPull pull(String token, int retries, List<String> notes) {
    DownloadListener l =
        new DownloadListener() {
          @Override
          public void note(String message) {
            notes.add(message);
          }
        };
    return new ModelPull(new HubClient(hub.endpoint(), token), dir, l, retries);
  }

  byte[] published(FileRef f) throws Exception {
    return new HubClient(hub.endpoint(), hub.requiredToken).open(f, 0).body().readAllBytes();
  }

  @Test
  void pullsExactlyTheVariantsFilesAndVerifiesThem() throws Exception {
    ModelPull.Report r = pull(null, 0, new ArrayList<>()).pull("lite", "bf16");
    assertEquals(files.size(), r.downloaded().size());
    for (FileRef f : files) {
      assertArrayEquals(published(f), Files.readAllBytes(f.local(dir)), f.toString());
      assertFalse(Files.exists(Downloader.partFile(f.local(dir))));
    }
    assertTrue(Files.isRegularFile(dir.resolve("stable-cascade/tokenizer/merges.txt")));
    assertTrue(
        Files.isRegularFile(dir.resolve("stable-cascade-prior/image_encoder/model.safetensors")));
    assertTrue(HubMetadata.cached(dir, VariantFiles.CASCADE).isPresent());
    List<ModelVerifier.Result> sizes = ModelVerifier.verify(dir, true);
    assertTrue(
        sizes.stream().noneMatch(x -> x.problems().stream().anyMatch(p -> p.contains("SHA"))));

    hub.requests.clear();
    ModelPull.Report again = pull(null, 0, new ArrayList<>()).pull("lite", "bf16");
    assertEquals(0, again.downloaded().size(), "second pull downloads nothing");
    assertTrue(
        hub.requests.stream().noneMatch(p -> p.contains("/resolve/")), hub.requests.toString());
  }

  @Test
  void aDroppedConnectionIsResumedWithARangeRequest() throws Exception {
    hub.dropOnceAfter(stageC.repo(), stageC.path(), 100_000);
    List<String> notes = new ArrayList<>();
    pull(null, 2, notes).pull("lite", "bf16");
    assertArrayEquals(published(stageC), Files.readAllBytes(stageC.local(dir)));
    assertTrue(hub.ranges.contains(stageC + " bytes=100000-"), hub.ranges.toString());
    assertTrue(notes.stream().anyMatch(n -> n.contains("resuming at 100000")), notes.toString());
  }

  @Test
  void anInterruptedPullIsResumedByTheNextPull() throws Exception {
    hub.dropOnceAfter(stageC.repo(), stageC.path(), 120_000);
    HubException e =
        assertThrows(
            HubException.class, () -> pull(null, 0, new ArrayList<>()).pull("lite", "bf16"));
    assertTrue(e.getMessage().contains("run the pull again to resume"), e.getMessage());
    Path part = Downloader.partFile(stageC.local(dir));
    assertEquals(120_000, Files.size(part));
    assertFalse(Files.exists(stageC.local(dir)));

    pull(null, 0, new ArrayList<>()).pull("lite", "bf16");
    assertArrayEquals(published(stageC), Files.readAllBytes(stageC.local(dir)));
    assertTrue(hub.ranges.contains(stageC + " bytes=120000-"), hub.ranges.toString());
    assertFalse(Files.exists(part));
  }

  @Test
  void aCorruptTransferIsRejectedAndNotKept() throws Exception {
    hub.corrupt(stageB.repo(), stageB.path());
    HubException e =
        assertThrows(
            HubException.class, () -> pull(null, 0, new ArrayList<>()).pull("lite", "bf16"));
    assertTrue(e.getMessage().contains(stageB.path() + " is corrupt (SHA-256"), e.getMessage());
    assertFalse(Files.exists(stageB.local(dir)), "corrupt file must not be kept as valid");
    assertFalse(Files.exists(Downloader.partFile(stageB.local(dir))));
  }

  @Test
  void aGatedRepoSaysToAcceptTheLicenceAndPassAToken() throws Exception {
    hub.requiredToken = "hf_secret";
    HubException e =
        assertThrows(
            HubException.class, () -> pull(null, 0, new ArrayList<>()).pull("lite", "bf16"));
    assertEquals(401, e.status());
    assertTrue(e.getMessage().contains("Accept the licence"), e.getMessage());
    assertTrue(e.getMessage().contains("--token or HF_TOKEN"), e.getMessage());
    HubException wrong =
        assertThrows(
            HubException.class, () -> pull("hf_wrong", 0, new ArrayList<>()).pull("lite", "bf16"));
    assertTrue(wrong.getMessage().contains("token was refused"), wrong.getMessage());

    pull("hf_secret", 0, new ArrayList<>()).pull("lite", "bf16");
    assertArrayEquals(published(stageC), Files.readAllBytes(stageC.local(dir)));
  }

  @Test
  void redirectsToTheCdnAreFollowedWithoutTheToken() throws Exception {
    hub.requiredToken = "hf_secret";
    hub.redirectToCdn = true;
    hub.dropOnceAfter(stageC.repo(), stageC.path(), 50_000);
    pull("hf_secret", 1, new ArrayList<>()).pull("lite", "bf16");
    hub.redirectToCdn = false;
    assertArrayEquals(published(stageC), Files.readAllBytes(stageC.local(dir)));
    assertTrue(hub.requests.stream().anyMatch(p -> p.startsWith("/cdn/")), hub.requests.toString());
    assertTrue(hub.ranges.contains(stageC + " bytes=50000-"), hub.ranges.toString());
  }

  @Test
  void aFileTheHubDoesNotListIsNamed() throws Exception {
    HubException e =
        assertThrows(
            HubException.class, () -> pull(null, 0, new ArrayList<>()).pull("big", "fp32"));
    assertTrue(e.getMessage().contains("lists no file stage_c.safetensors"), e.getMessage());
  }

  @Test
  void badVariantAndDtypeAreNamed() {
    IllegalArgumentException v =
        assertThrows(IllegalArgumentException.class, () -> VariantFiles.files("huge", "bf16"));
    assertTrue(v.getMessage().contains("--variant"));
    IllegalArgumentException d =
        assertThrows(IllegalArgumentException.class, () -> VariantFiles.files("lite", "fp8"));
    assertTrue(d.getMessage().contains("--dtype"));
  }

  /** A file of the hub's size with other bytes is not "present": it is downloaded again. */
  @Test
  void aSameSizeFileWithOtherBytesIsDownloadedAgain() throws Exception {
    pull(null, 0, new ArrayList<>()).pull("lite", "bf16");
    Path c = stageC.local(dir);
    byte[] bytes = Files.readAllBytes(c);
    bytes[1000] ^= 0x5a; // same size, other content (tampered or bit rot)
    Files.write(c, bytes);
    List<String> notes = new ArrayList<>();
    ModelPull.Report again = pull(null, 0, notes).pull("lite", "bf16");
    assertEquals(List.of(stageC), again.downloaded(), String.join("\n", notes));
    assertArrayEquals(published(stageC), Files.readAllBytes(c));
  }

  /** A hub that gives no hash for a file cannot have it verified: the pull refuses it. */
  @Test
  void anUnhashedFileIsRefused() throws Exception {
    hub.withoutHashes = true;
    HubException e =
        assertThrows(
            HubException.class, () -> pull(null, 0, new ArrayList<>()).pull("lite", "bf16"));
    assertTrue(e.getMessage().contains("no hash"), e.getMessage());
    for (FileRef f : files) {
      assertFalse(Files.exists(f.local(dir)), f + " was kept");
    }
  }

  @Test
  void redirectsMayNotDowngradeHttpsOrLeaveHttp() {
    java.net.URI https = java.net.URI.create("https://huggingface.co/x/resolve/main/a");
    assertTrue(
        HubClient.refusedRedirect(https, java.net.URI.create("http://cdn.example/a")) != null);
    assertTrue(HubClient.refusedRedirect(https, java.net.URI.create("file:///etc/passwd")) != null);
    assertEquals(
        null, HubClient.refusedRedirect(https, java.net.URI.create("https://cdn.example/a")));
    java.net.URI http = java.net.URI.create("http://127.0.0.1:1/x");
    assertEquals(
        null, HubClient.refusedRedirect(http, java.net.URI.create("http://localhost:1/cdn")));
  }
}
