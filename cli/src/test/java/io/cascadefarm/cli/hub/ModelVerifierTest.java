package io.cascadefarm.cli.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.nn.NetworkCatalog;
import io.cascadefarm.cascade.nn.Parameter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelVerifier}: hash against cached metadata and keys against the declarations. */
class ModelVerifierTest {
  @TempDir Path dir;

  static byte[] safetensors(SafetensorsWriter w) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    w.write(out);
    return out.toByteArray();
  }

  static byte[] previewerCheckpoint() throws Exception {
    SafetensorsWriter w = new SafetensorsWriter();
    for (Map.Entry<String, Parameter> e :
        NetworkCatalog.declare("previewer", null).namedParameters().entrySet()) {
      long[] shape = e.getValue().shape();
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      w.addBf16(e.getKey(), shape, new float[(int) n]);
    }
    return safetensors(w);
  }

  @Test
  void reportsHashMismatchesAndIncompatibleKeys() throws Exception {
    byte[] previewer = previewerCheckpoint();
    byte[] stageA =
        safetensors(
            new SafetensorsWriter().addF32("in_block.1.weightz", new long[] {2}, new float[2]));
    byte[] vocab = "{\"a\":0}".getBytes(StandardCharsets.UTF_8);
    try (LocalHub hub = new LocalHub()) {
      hub.put(VariantFiles.CASCADE, "previewer.safetensors", previewer)
          .put(VariantFiles.CASCADE, "stage_a.safetensors", stageA)
          .put(VariantFiles.CASCADE, "tokenizer/vocab.json", vocab);
      new HubClient(hub.endpoint(), null).metadata(VariantFiles.CASCADE).save(dir);
    }
    Path cascade = Files.createDirectories(dir.resolve("stable-cascade/tokenizer")).getParent();
    Files.write(cascade.resolve("previewer.safetensors"), previewer);
    Files.write(cascade.resolve("stage_a.safetensors"), stageA);
    Files.write(
        cascade.resolve("tokenizer/vocab.json"), "{\"b\":0}".getBytes(StandardCharsets.UTF_8));

    Map<String, ModelVerifier.Result> r =
        ModelVerifier.verify(dir, true).stream()
            .collect(Collectors.toMap(x -> x.ref().path(), Function.identity()));
    assertEquals(3, r.size(), r.keySet().toString());
    assertTrue(r.get("previewer.safetensors").ok(), r.get("previewer.safetensors").toString());
    List<String> a = r.get("stage_a.safetensors").problems();
    assertEquals(1, a.size(), a.toString());
    assertTrue(a.get(0).contains("keys do not match the stage_a declaration"), a.get(0));
    assertTrue(a.get(0).contains("in_block.1.weightz"), a.get(0));
    List<String> v = r.get("tokenizer/vocab.json").problems();
    assertTrue(v.get(0).startsWith("git blob SHA-1"), v.toString());
  }

  @Test
  void withoutCachedMetadataOnlyKeysAreChecked() throws Exception {
    Path cascade = Files.createDirectories(dir.resolve("stable-cascade"));
    Files.write(cascade.resolve("previewer.safetensors"), previewerCheckpoint());
    List<ModelVerifier.Result> r = ModelVerifier.verify(dir, true);
    assertEquals(1, r.size());
    assertTrue(r.get(0).ok());
    assertTrue(
        r.get(0).notes().get(0).contains("no cached hub metadata"), r.get(0).notes().toString());
  }
}
