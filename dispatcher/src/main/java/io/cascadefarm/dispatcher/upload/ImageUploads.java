package io.cascadefarm.dispatcher.upload;

import io.cascadefarm.codec.image.ImageCodec;
import io.cascadefarm.codec.image.ImageRejectedException;
import io.cascadefarm.common.digest.Sha256;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import io.cascadefarm.dispatcher.service.StoreGuard;
import java.util.List;

/**
 * Stores an uploaded image. The format comes from the magic bytes (the Content-Type header is never
 * trusted, so curl's default form type works too); the header is read by hand and checked by the
 * shared {@link ImageCodec} (side, pixel count, and the bytes the decoder will allocate, plus the
 * process-wide decode budget) before any decoder allocates, so decompression and allocation bombs
 * of every accepted format (PNG, JPEG, WebP) are refused cheaply. The image is then decoded and
 * re-encoded to PNG under {@code uploads/<sha256>.png}. A safetensors body (a job's {@code latents}
 * or {@code embeddings}) is kept as sent under {@code uploads/<sha256>.safetensors} once its header
 * checks ({@link TensorUploads}). The key is the SHA-256 of the stored bytes: no client text ever
 * reaches a key, so path traversal is impossible.
 */
public final class ImageUploads {
  private final ObjectStore objects;
  private final int maxBytes;
  private final ImageCodec codec;

  public ImageUploads(ObjectStore objects, int maxBytes) {
    this(objects, maxBytes, ImageCodec.standard());
  }

  public ImageUploads(ObjectStore objects, int maxBytes, ImageCodec codec) {
    this.objects = objects;
    this.maxBytes = maxBytes;
    this.codec = codec;
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
    ImageCodec.Decoded d;
    try {
      d = codec.decodeToPng(body);
    } catch (ImageRejectedException e) {
      throw rejected(e);
    }
    return put(d.png(), "png", "image/png", d.width(), d.height(), true);
  }

  /** The API answer to a refused image, naming the body. */
  public static ApiException rejected(ImageRejectedException e) {
    return switch (e.reason()) {
      case UNSUPPORTED -> bad(415, "unsupported_media_type", e.getMessage());
      case BUSY ->
          new ApiException(
              429,
              "busy",
              "body " + e.getMessage(),
              List.of(new FieldError("body", e.getMessage())),
              StoreGuard.RETRY_AFTER_SECONDS);
      default -> bad(400, "invalid_request", e.getMessage());
    };
  }

  private UploadResult put(byte[] data, String ext, String type, int w, int h, boolean reenc) {
    String key = "uploads/" + Sha256.hex(data) + "." + ext;
    try {
      objects.put(key, data, type);
    } catch (RuntimeException e) {
      throw ApiException.objectStoreUnavailable(
          "body", "could not be stored: object store unavailable", StoreGuard.RETRY_AFTER_SECONDS);
    }
    return new UploadResult(key, w, h, ext, data.length, reenc);
  }

  private static ApiException bad(int status, String code, String message) {
    return new ApiException(
        status, code, "body " + message, List.of(new FieldError("body", message)), 0);
  }
}
