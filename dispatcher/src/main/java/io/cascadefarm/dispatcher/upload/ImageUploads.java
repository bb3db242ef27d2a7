package io.cascadefarm.dispatcher.upload;

import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import io.cascadefarm.dispatcher.service.StoreGuard;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Stores an uploaded image. The format comes from the magic bytes; the size is read from the header
 * and checked (at most {@value #MAX_SIDE} px a side and {@value #MAX_PIXELS} pixels) before any
 * pixel is decoded, so decompression bombs are refused cheaply (for WebP also every frame against
 * the canvas). PNG, JPEG and WebP (lossy, lossless, with alpha; an animation's first frame, via the
 * TwelveMonkeys ImageIO plugin) are decoded with ImageIO and re-encoded to PNG under {@code
 * uploads/<sha256>.png}. A safetensors body (a job's {@code latents} or {@code embeddings}) is kept
 * as sent under {@code uploads/<sha256>.safetensors} once its header checks ({@link
 * TensorUploads}). The key is the SHA-256 of the stored bytes: no client text ever reaches a key,
 * so path traversal is impossible.
 */
public final class ImageUploads {
  public static final int MAX_SIDE = 8192;
  public static final int MAX_PIXELS = 40_000_000;
  private final ObjectStore objects;
  private final int maxBytes;

  static {
    ImageIO.setUseCache(false);
  }

  public ImageUploads(ObjectStore objects, int maxBytes) {
    this.objects = objects;
    this.maxBytes = maxBytes;
  }

  /** The store uploads go to (also used for LoRA uploads). */
  public ObjectStore objects() {
    return objects;
  }

  /** Largest accepted upload body. */
  public int maxBytes() {
    return maxBytes;
  }

  public UploadResult store(byte[] body) {
    if (body.length == 0) {
      throw bad(400, "invalid_request", "is empty: send the image bytes as the request body");
    }
    if (body.length > maxBytes) {
      throw bad(413, "too_large", "is larger than " + maxBytes + " bytes");
    }
    if (TensorUploads.looksLikeSafetensors(body)) {
      try {
        TensorUploads.validate(body);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw bad(400, "invalid_request", e.getMessage());
      }
      return put(body, "safetensors", "application/octet-stream", 0, 0, false);
    }
    ImageFormat format = ImageFormat.sniff(body);
    if (format == null) {
      throw bad(415, "unsupported_media_type", "is not a PNG, JPEG or WebP image");
    }
    if (format == ImageFormat.WEBP) {
      checkWebpHeader(body);
    }
    BufferedImage image = decode(body);
    byte[] png = encodePng(image);
    return put(png, "png", "image/png", image.getWidth(), image.getHeight(), true);
  }

  /** The canvas and every frame of a WebP are size-checked before its decoder sees a pixel. */
  private static void checkWebpHeader(byte[] body) {
    int[] dims = WebpHeader.dimensions(body);
    if (dims == null) {
      throw bad(
          400, "invalid_request", "is not a readable WebP image (unknown or truncated header)");
    }
    checkSize(dims[0], dims[1]);
    String oversized = WebpHeader.oversizedFrame(body, dims[0], dims[1]);
    if (oversized != null) {
      throw bad(400, "invalid_request", "is a malformed WebP image: it declares " + oversized);
    }
  }

  private UploadResult put(byte[] data, String ext, String type, int w, int h, boolean reenc) {
    String key = "uploads/" + sha256(data) + "." + ext;
    try {
      objects.put(key, data, type);
    } catch (RuntimeException e) {
      throw ApiException.objectStoreUnavailable(
          "body", "could not be stored: object store unavailable", StoreGuard.RETRY_AFTER_SECONDS);
    }
    return new UploadResult(key, w, h, ext, data.length, reenc);
  }

  private static BufferedImage decode(byte[] body) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(body))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw bad(415, "unsupported_media_type", "has no decoder for its format");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        checkSize(reader.getWidth(0), reader.getHeight(0));
        BufferedImage img = reader.read(0);
        if (img == null) {
          throw bad(400, "invalid_request", "could not be decoded");
        }
        return img;
      } finally {
        reader.dispose();
      }
    } catch (ApiException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw bad(
          400,
          "invalid_request",
          "is a corrupt or truncated image (" + e.getClass().getSimpleName() + ")");
    }
  }

  static void checkSize(int w, int h) {
    if (w <= 0 || h <= 0 || w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
      throw bad(
          400,
          "invalid_request",
          "declares "
              + w
              + "x"
              + h
              + " pixels; at most "
              + MAX_SIDE
              + " px a side and "
              + MAX_PIXELS
              + " pixels are accepted");
    }
  }

  private static byte[] encodePng(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      BufferedImage img = image;
      if (!ImageIO.write(img, "png", out)) {
        BufferedImage rgb =
            new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(image, 0, 0, null);
        out.reset();
        ImageIO.write(rgb, "png", out);
      }
    } catch (IOException e) {
      throw bad(400, "invalid_request", "could not be re-encoded as PNG");
    }
    return out.toByteArray();
  }

  private static ApiException bad(int status, String code, String message) {
    return new ApiException(
        status, code, "body " + message, List.of(new FieldError("body", message)), 0);
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
