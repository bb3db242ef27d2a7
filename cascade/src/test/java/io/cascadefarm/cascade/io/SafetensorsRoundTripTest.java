package io.cascadefarm.cascade.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.cascadefarm.cascade.testing.TestResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
  @TempDir Path tmp;

  @Test
  void writesAndReadsF32Bf16I64WithMetadata() throws Exception {
    float[] f = {1.5f, -2.25f, 3.1415927f, 1e-8f, -0f, 65504f};
    Path file = tmp.resolve("t.safetensors");
    new SafetensorsWriter()
        .metadata("format", "pt")
        .addF32("a.weight", new long[] {2, 3}, f)
        .addBf16("b", new long[] {6}, f)
        .addI64("n", new long[] {}, new long[] {7})
        .write(file);
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      assertEquals("pt", r.metadata().get("format"));
      assertEquals(
          java.util.List.of("a.weight", "b", "n"), java.util.List.copyOf(r.tensors().keySet()));
      assertArrayEquals(f, r.readFloats("a.weight"));
      float[] bf = r.readFloats("b");
      for (int i = 0; i < f.length; i++) {
        assertEquals(f[i], bf[i], Math.abs(f[i]) / 128 + 1e-30, "bf16 value " + i);
      }
      assertEquals(Float.intBitsToFloat(Float.floatToIntBits(1.5f)), bf[0]);
      assertArrayEquals(new long[] {7}, r.readLongs("n"));
      assertEquals(0, r.info("n").shape().length);
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray a = r.load(m, "b");
        assertEquals(DataType.FLOAT32, a.getDataType());
        assertArrayEquals(bf, a.toFloatArray());
        assertEquals(DataType.INT64, r.load(m, "n").getDataType());
      }
    }
    long headerLen =
        java.nio.ByteBuffer.wrap(Files.readAllBytes(file), 0, 8)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .getLong();
    assertEquals(0, headerLen % 8);
  }

  @Test
  void bf16ConversionIsExactBitShiftAndRoundsToNearestEven() {
    assertEquals(1.0f, Float16.bf16ToFloat((short) 0x3f80));
    assertEquals(-2.0f, Float16.bf16ToFloat((short) 0xc000));
    assertEquals(
        (short) 0x3f80, Float16.floatToBf16(Float.intBitsToFloat(0x3f808000))); // tie -> even
    assertEquals(
        (short) 0x3f82, Float16.floatToBf16(Float.intBitsToFloat(0x3f818000))); // tie -> even up
    assertEquals((short) 0x3f81, Float16.floatToBf16(Float.intBitsToFloat(0x3f808001)));
    assertEquals(1.0f, Float16.f16ToFloat((short) 0x3c00));
    assertEquals(65504f, Float16.f16ToFloat((short) 0x7bff));
    assertEquals(0x1p-24f, Float16.f16ToFloat((short) 0x0001));
    assertEquals(-0.5f, Float16.f16ToFloat((short) 0xb800));
  }

  @Test
  void truncatedFileFailsWithClearMessage() throws Exception {
    Path file = tmp.resolve("t.safetensors");
    new SafetensorsWriter().addF32("x", new long[] {4}, new float[4]).write(file);
    byte[] all = Files.readAllBytes(file);
    Path cut = tmp.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(all, all.length - 3));
    var e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsReader.open(cut));
    assertTrue(
        e.getMessage().contains("'x'") && e.getMessage().contains("truncated"), e.getMessage());
    Path tiny = tmp.resolve("tiny.safetensors");
    Files.write(tiny, new byte[] {1, 2, 3});
    assertThrows(SafetensorsFormatException.class, () -> SafetensorsReader.open(tiny));
  }

  @Test
  void malformedHeaderFailsWithClearMessage() throws Exception {
    Path bad = tmp.resolve("bad.safetensors");
    byte[] json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}".getBytes();
    var buf =
        java.nio.ByteBuffer.allocate(8 + json.length + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    buf.putLong(json.length).put(json);
    Files.write(bad, buf.array());
    var e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsReader.open(bad));
    assertTrue(e.getMessage().contains("data_offsets"), e.getMessage());
    Path notJson = tmp.resolve("nj.safetensors");
    var b2 = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b2.putLong(8).put("not json".getBytes());
    Files.write(notJson, b2.array());
    assertThrows(SafetensorsFormatException.class, () -> SafetensorsReader.open(notJson));
    Path dtype = tmp.resolve("dt.safetensors");
    byte[] j3 = "{\"x\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,1]}}".getBytes();
    var b3 =
        java.nio.ByteBuffer.allocate(8 + j3.length + 1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b3.putLong(j3.length).put(j3);
    Files.write(dtype, b3.array());
    var e3 = assertThrows(SafetensorsFormatException.class, () -> SafetensorsReader.open(dtype));
    assertTrue(e3.getMessage().contains("Q7"), e3.getMessage());
  }

  @Test
  void readsFixtureFileIncludingInt64Buffers() throws Exception {
    Path file = TestResources.parity().resolve("previewer.weights.safetensors");
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      assertTrue(r.tensors().size() > 10);
      TensorInfo nbt =
          r.tensors().values().stream()
              .filter(t -> t.name().endsWith("num_batches_tracked"))
              .findFirst()
              .orElseThrow();
      assertEquals(SafetensorsDType.I64, nbt.dtype());
      assertArrayEquals(new long[] {0}, r.readLongs(nbt.name()));
      TensorInfo w = r.info("blocks.0.weight");
      assertEquals(w.numel(), r.readFloats(w.name()).length);
    }
  }
}
