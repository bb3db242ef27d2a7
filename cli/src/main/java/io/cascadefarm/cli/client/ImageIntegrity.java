package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.digest.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a downloaded result image must be: the length and SHA-256 a results line gives for it, or,
 * for a line without them (a job finished before workers recorded them), a whole PNG (signature and
 * IEND trailer).
 */
record ImageIntegrity(Long bytes, String sha256) {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final byte[] IEND = {
    0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82
  };

  /** The expectation of one image of a results line. */
  static ImageIntegrity of(JsonNode image) {
    JsonNode bytes = image.path("bytes");
    JsonNode sha = image.path("sha256");
    return new ImageIntegrity(
        bytes.isIntegralNumber() ? bytes.asLong() : null, sha.isTextual() ? sha.asText() : null);
  }

  /** Whether the line gave a length and digest (else only the whole-PNG check applies). */
  boolean hasDigest() {
    return bytes != null && sha256 != null;
  }

  /**
   * Why {@code f} is not the expected image (missing, wrong length or SHA-256, not a whole PNG),
   * naming the expected and actual values; null when it is.
   */
  String mismatch(Path f) throws IOException {
    if (!Files.isRegularFile(f)) {
      return "missing";
    }
    if (!hasDigest()) {
      return isWholePng(f) ? null : "not a whole PNG (signature or IEND trailer missing)";
    }
    long size = Files.size(f);
    if (size != bytes) {
      return "expected " + bytes + " bytes, got " + size;
    }
    String got = Sha256.hex(f);
    return got.equalsIgnoreCase(sha256) ? null : "expected SHA-256 " + sha256 + ", got " + got;
  }

  /** Whether {@code f} exists and starts with the PNG signature and ends with the IEND chunk. */
  static boolean isWholePng(Path f) throws IOException {
    if (!Files.isRegularFile(f) || Files.size(f) < PNG.length + IEND.length) {
      return false;
    }
    try (var ch = Files.newByteChannel(f)) {
      var head = java.nio.ByteBuffer.allocate(PNG.length);
      ch.read(head);
      ch.position(ch.size() - IEND.length);
      var tail = java.nio.ByteBuffer.allocate(IEND.length);
      ch.read(tail);
      return Arrays.equals(head.array(), PNG) && Arrays.equals(tail.array(), IEND);
    }
  }
}
