package io.cascadefarm.codec.image;

import io.cascadefarm.codec.image.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The one place images are decoded and encoded. {@link #decode} sniffs the format from the bytes,
 * reads the header by hand ({@link ImageHeader}) and checks it against {@link ImageLimits} and the
 * process's {@link DecodeBudget} before any ImageIO reader allocates; only then does the reader of
 * that format (the JDK's PNG and JPEG readers, TwelveMonkeys' WebP reader) decode the first image,
 * after confirming that it sees the size the header declared.
 */
public final class ImageCodec {
  private final ImageLimits limits;
  private final DecodeBudget budget;

  static {
    ImageIO.setUseCache(false);
  }

  public ImageCodec(ImageLimits limits, DecodeBudget budget) {
    this.limits = limits;
    this.budget = budget;
  }

  /** Default limits, a decode budget of a quarter of the heap. */
  public static ImageCodec standard() {
    return new ImageCodec(ImageLimits.DEFAULT, DecodeBudget.ofHeap());
  }

  public ImageLimits limits() {
    return limits;
  }

  public DecodeBudget budget() {
    return budget;
  }

  /** The checked header of {@code bytes} (nothing decoded). */
  public ImageHeader inspect(byte[] bytes) {
    return ImageHeader.read(bytes).check(limits);
  }

  /**
   * Decodes the first image of {@code bytes}.
   *
   * @throws ImageRejectedException when the format is not accepted, the header exceeds the limits,
   *     the budget has no room, or the bytes cannot be decoded
   */
  public BufferedImage decode(byte[] bytes) {
    ImageHeader header = inspect(bytes);
    try (DecodeBudget.Reservation r = budget.reserve(header.decodeBytes())) {
      return read(bytes, header);
    }
  }

  /** Decodes, then encodes as PNG, under one reservation (the encoded copy is counted too). */
  public Decoded decodeToPng(byte[] bytes) {
    ImageHeader header = inspect(bytes);
    try (DecodeBudget.Reservation r = budget.reserve(2 * header.decodeBytes())) {
      BufferedImage img = read(bytes, header);
      return new Decoded(header, img.getWidth(), img.getHeight(), encodePng(img));
    }
  }

  /** An image decoded and re-encoded as PNG. */
  public record Decoded(ImageHeader header, int width, int height, byte[] png) {}

  private static BufferedImage read(byte[] bytes, ImageHeader header) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers =
          ImageIO.getImageReadersByFormatName(header.format().readerName());
      if (!readers.hasNext()) {
        throw new ImageRejectedException(
            Reason.UNSUPPORTED, "has no decoder for " + header.format() + " in this process");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w != header.width() || h != header.height()) {
          throw new ImageRejectedException(
              Reason.MALFORMED,
              "is inconsistent: its header declares "
                  + header.width()
                  + "x"
                  + header.height()
                  + " but the decoder sees "
                  + w
                  + "x"
                  + h);
        }
        BufferedImage img = reader.read(0);
        if (img == null) {
          throw new ImageRejectedException(Reason.MALFORMED, "could not be decoded");
        }
        return img;
      } finally {
        reader.dispose();
      }
    } catch (ImageRejectedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ImageRejectedException(
          Reason.MALFORMED,
          "is a corrupt or truncated image (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Encodes {@code image} as PNG (converted to RGB when the PNG writer cannot take its type). */
  public static byte[] encodePng(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        BufferedImage rgb =
            new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(image, 0, 0, null);
        out.reset();
        if (!ImageIO.write(rgb, "png", out)) {
          throw new IllegalStateException("no PNG writer");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode PNG", e);
    }
    return out.toByteArray();
  }
}
