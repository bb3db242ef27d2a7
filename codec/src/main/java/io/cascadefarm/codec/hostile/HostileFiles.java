package io.cascadefarm.codec.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Small files whose headers lie: the inputs of the hostile-input tests and of {@code farm hostile}.
 * Each is a few dozen bytes that declare a huge decode (an allocation bomb) or a file a reader
 * cannot use. Kept in main code so that the test suites and the hostile run send the same bytes.
 */
public final class HostileFiles {
  private HostileFiles() {}

  /**
   * A PNG whose IHDR declares {@code w x h} at {@code depth} bits of colour type {@code colour} (6
   * = RGBA), followed by a tiny IDAT: e.g. {@code png(8192, 4882, 16, 6)} is about 80 bytes and
   * asks the JDK reader for 320 MB.
   */
  public static byte[] png(int w, int h, int depth, int colour) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(w).putInt(h).put((byte) depth).put((byte) colour).put((byte) 0);
    ihdr.put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    Deflater d = new Deflater();
    d.setInput(new byte[64]);
    d.finish();
    byte[] z = new byte[128];
    int n = d.deflate(z);
    d.end();
    chunk(out, "IDAT", java.util.Arrays.copyOf(z, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** The example: 8192x4882 16-bit RGBA (under 40 MP), about 80 bytes, 320 MB decoded. */
  public static byte[] pngAllocationBomb() {
    return png(8192, 4882, 16, 6);
  }

  /**
   * A baseline (or progressive) JPEG declaring {@code w x h} with {@code components} components and
   * {@code scans} empty scans, no real data.
   */
  public static byte[] jpeg(int w, int h, int components, boolean progressive, int scans) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd8});
    // SOF0 or SOF2
    out.write(0xff);
    out.write(progressive ? 0xc2 : 0xc0);
    int len = 8 + 3 * components;
    out.write(len >> 8);
    out.write(len);
    out.write(8);
    out.write(h >> 8);
    out.write(h);
    out.write(w >> 8);
    out.write(w);
    out.write(components);
    for (int c = 0; c < components; c++) {
      out.write(c + 1);
      out.write(0x11);
      out.write(0);
    }
    for (int s = 0; s < scans; s++) {
      out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0});
      out.writeBytes(new byte[] {0x12, 0x34});
    }
    out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd9});
    return out.toByteArray();
  }

  /** A lossless WebP (VP8L) header declaring {@code w x h} (at most 16384 a side). */
  public static byte[] webp(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22);
    b.put("WEBP".getBytes(StandardCharsets.US_ASCII));
    b.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(10);
    b.put((byte) 0x2f);
    int bits = ((w - 1) & 0x3fff) | (((h - 1) & 0x3fff) << 14);
    b.putInt(bits);
    return b.array();
  }

  /**
   * A safetensors file with one tensor entry per pair of {@code (name, header JSON)} and {@code
   * data} bytes, plus {@code metadata} (a JSON object text, or null).
   */
  public static byte[] safetensors(String tensorsJson, String metadata, int data) {
    String header =
        "{" + (metadata == null ? "" : "\"__metadata__\":" + metadata + ",") + tensorsJson + "}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return b.array();
  }

  /** A valid tiny official LoRA (one down/up pair of F32 [1,1]) with {@code metadata}. */
  public static byte[] lora(String metadata) {
    return safetensors(
        "\"weights.0.lora_down\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]},"
            + "\"weights.0.lora_up\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[4,8]}",
        metadata,
        8);
  }

  /**
   * An official LoRA whose {@code train_tokens} first add the token {@code [aaa...a]} (40 a's) to
   * the vocabulary, then ask for the mean of the entries matching {@code (.*a){12}b}:
   * java.util.regex takes on the order of 40^12 steps on that entry; RE2/J answers at once.
   */
  public static byte[] loraRegexBomb() {
    String a = "a".repeat(40);
    return lora(
        "{\"train_tokens\":\"[[\\\"["
            + a
            + "]\\\", null], [\\\"[boom]\\\", \\\"(.*a){12}b\\\"]]\"}");
  }

  /** A LoRA with an I8 tensor: a dtype the workers' reader does not support. */
  public static byte[] loraI8() {
    return safetensors(
        "\"weights.0.lora_down\":{\"dtype\":\"I8\",\"shape\":[1,1],\"data_offsets\":[0,1]},"
            + "\"weights.0.lora_up\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[4,8]}",
        null,
        8);
  }

  /** A LoRA whose shape makes numel * 4 overflow to 0, so data_offsets [0,0] looked right. */
  public static byte[] loraOverflow() {
    return safetensors(
        "\"weights.0.lora_down\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],"
            + "\"data_offsets\":[0,0]},"
            + "\"weights.0.lora_up\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]}",
        null,
        4);
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    ByteBuffer len = ByteBuffer.allocate(4).putInt(data.length);
    out.writeBytes(len.array());
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
