package io.cascadefarm.cascade.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLayoutTest {

  @Test
  void followsTheHuggingFaceRepoLayoutAndPrefersBf16(@TempDir Path root) throws Exception {
    ModelLayout layout = new ModelLayout(root);
    assertEquals(root.resolve("stable-cascade/stage_c_lite.safetensors"), layout.stageC(true));
    assertEquals(root.resolve("stable-cascade/stage_b.safetensors"), layout.stageB(false));
    Files.createDirectories(layout.cascadeDir());
    Files.writeString(layout.cascadeDir().resolve("stage_c_lite_bf16.safetensors"), "x");
    assertEquals(root.resolve("stable-cascade/stage_c_lite_bf16.safetensors"), layout.stageC(true));
    assertEquals(
        root.resolve("stable-cascade-prior/image_encoder/model.safetensors"),
        layout.imageEncoder());
    assertEquals(
        root.resolve("stable-cascade/text_encoder/model.safetensors"), layout.textEncoder());
  }

  @Test
  void reportsEveryMissingFile(@TempDir Path root) {
    ModelLayout layout = new ModelLayout(root);
    assertEquals(9, layout.missingFor(true).size());
    assertTrue(layout.missingFor(true).contains(layout.tokenizer().resolve("merges.txt")));
  }
}
