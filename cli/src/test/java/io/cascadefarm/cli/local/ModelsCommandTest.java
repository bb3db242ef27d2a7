package io.cascadefarm.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cli.Farm;
import io.cascadefarm.cli.hub.FileRef;
import io.cascadefarm.cli.hub.LocalHub;
import io.cascadefarm.cli.hub.VariantFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm models pull/list/verify} end to end against a {@link LocalHub}. */
class ModelsCommandTest {
  @TempDir Path dir;
  LocalHub hub;

  @BeforeEach
  void start() throws Exception {
    hub = new LocalHub();
    int i = 0;
    for (FileRef f : VariantFiles.files("lite", "bf16")) {
      hub.put(f.repo(), f.path(), ("content of " + f + " " + i++).getBytes(StandardCharsets.UTF_8));
    }
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  /** {@code farm models pull --variant lite} into {@link #dir} from the local hub. */
  Farm pullLite(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "models",
                "pull",
                "--variant",
                "lite",
                "--models-dir",
                dir.toString(),
                "--endpoint",
                hub.endpoint()));
    args.addAll(List.of(extra));
    return Farm.run(args.toArray(String[]::new));
  }

  @Test
  void pullListAndVerify() throws Exception {
    Farm pull = pullLite();
    assertEquals(0, pull.exitCode(), pull.out() + pull.err());
    assertTrue(pull.out().contains("done: 9 file(s) downloaded"), pull.out());
    Path stageC = dir.resolve("stable-cascade/stage_c_lite_bf16.safetensors");
    assertTrue(Files.isRegularFile(stageC));

    Farm list = Farm.run("models", "list", "--models-dir", dir.toString());
    assertEquals(0, list.exitCode());
    assertTrue(list.out().contains("lite  bf16  complete"), list.out());
    assertTrue(list.out().contains("big   bf16  missing 2 of 9"), list.out());

    // the downloaded "checkpoints" are not safetensors: verify must say so (keys), hashes are fine
    Farm verify = Farm.run("models", "verify", "--models-dir", dir.toString());
    assertEquals(1, verify.exitCode(), verify.out());
    assertTrue(
        verify.out().contains("FAIL stabilityai/stable-cascade/stage_c_lite_bf16.safetensors"),
        verify.out());
    assertTrue(
        verify.out().contains("OK   stabilityai/stable-cascade/tokenizer/merges.txt"),
        verify.out());

    Files.write(
        dir.resolve("stable-cascade/tokenizer/merges.txt"),
        "tampered".getBytes(StandardCharsets.UTF_8));
    Farm tampered = Farm.run("models", "verify", "--models-dir", dir.toString());
    assertTrue(tampered.out().contains("size 8 != hub size"), tampered.out());
  }

  @Test
  void gatedRepoNeedsAToken() {
    hub.requiredToken = "hf_x";
    Farm denied = pullLite();
    assertEquals(1, denied.exitCode());
    assertTrue(denied.err().contains("HTTP 401"), denied.err());
    assertTrue(denied.err().contains("Accept the licence"), denied.err());
    Farm ok = pullLite("--token", "hf_x");
    assertEquals(0, ok.exitCode(), ok.err());
  }

  @Test
  void verifyOnAnEmptyDirectorySaysWhatToDo() {
    Farm verify = Farm.run("models", "verify", "--models-dir", dir.toString());
    assertEquals(1, verify.exitCode());
    assertTrue(verify.out().contains("farm models pull --variant lite"), verify.out());
  }
}
