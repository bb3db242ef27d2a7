package io.cascadefarm.cli.hub;

import io.cascadefarm.common.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of LFS files and git blob SHA-1 ({@code sha1("blob <size>\0" + bytes)}) of the rest. */
public final class Checksums {
  private Checksums() {}

  public static String gitBlobSha1(Path file) throws IOException {
    byte[] header = ("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII);
    return hex(digest(file, "SHA-1", header));
  }

  /**
   * Checks {@code file} against the hub's hash (SHA-256, else blob SHA-1); null = no hash known.
   */
  public static String mismatch(Path file, HubFile expected) throws IOException {
    if (expected.sha256() != null) {
      String got = Sha256.hex(file);
      return got.equalsIgnoreCase(expected.sha256())
          ? null
          : "SHA-256 " + got + " != expected " + expected.sha256();
    }
    if (expected.blobId() != null) {
      String got = gitBlobSha1(file);
      return got.equalsIgnoreCase(expected.blobId())
          ? null
          : "git blob SHA-1 " + got + " != expected " + expected.blobId();
    }
    return null;
  }

  /** Whether the hub gave any hash for the file. */
  public static boolean hasHash(HubFile f) {
    return f.sha256() != null || f.blobId() != null;
  }

  private static byte[] digest(Path file, String algorithm, byte[] prefix) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    if (prefix != null) {
      md.update(prefix);
    }
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
