package io.cascadefarm.cascade.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.net.saliency.MicroResNet;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A legacy {@code torch.save} state dict (the official saliency model's format), written by
 * Debian's torch from the official MicroResNet class ({@code tools/pipeline-gen}): every tensor
 * read with its shape and exact float bytes, converted to safetensors, bound strictly to the port's
 * MicroResNet.
 */
class TorchLegacyCheckpointTest {
  static final Path DIR = Path.of("src/test/resources/pipeline-fixtures");

  @TempDir Path tmp;

  @Test
  void readsEveryTensorOfALegacyStateDictExactly() throws Exception {
    JsonNode expected =
        new ObjectMapper().readTree(DIR.resolve("saliency_legacy.json").toFile()).get("tensors");
    Map<String, TorchLegacyCheckpoint.Tensor> got =
        TorchLegacyCheckpoint.read(Files.readAllBytes(DIR.resolve("saliency_legacy.pt")));
    assertEquals(expected.size(), got.size());
    Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      TorchLegacyCheckpoint.Tensor t = got.get(e.getKey());
      long[] shape = new long[e.getValue().get("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = e.getValue().get("shape").get(i).asLong();
      }
      assertArrayEquals(shape, t.shape(), e.getKey());
      assertEquals(e.getValue().get("sha256").asText(), sha256(t.data()), e.getKey());
    }
    Path st = tmp.resolve("saliency.safetensors");
    Files.write(st, TorchLegacyCheckpoint.toSafetensors(got));
    try (NDManager m = NDManager.newBaseManager();
        SafetensorsWeights w = SafetensorsWeights.open(st)) {
      WeightBinder.bind(new MicroResNet(), w, m); // strict: every key used, every shape right
    }
  }

  @Test
  void refusesOtherFiles() {
    assertThrows(
        IllegalArgumentException.class, () -> TorchLegacyCheckpoint.read(new byte[] {1, 2, 3}));
    byte[] pickleWithOtherGlobal =
        "\u0080\u0002\u008a\u0001\u0001.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThrows(
        IllegalArgumentException.class, () -> TorchLegacyCheckpoint.read(pickleWithOtherGlobal));
  }

  static String sha256(float[] v) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
  }
}
