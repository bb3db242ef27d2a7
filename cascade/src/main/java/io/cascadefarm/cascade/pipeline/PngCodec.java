package io.cascadefarm.cascade.pipeline;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * Encodes 8-bit sRGB PNGs with text metadata and reads the metadata back (javax.imageio). Values
 * representable in Latin-1 go into {@code tEXt} chunks as the PNG standard requires; other values
 * (e.g. a prompt with CJK characters) go into UTF-8 {@code iTXt} chunks. Both are read back.
 */
public final class PngCodec {
  private static final String FORMAT = "javax_imageio_png_1.0";

  private PngCodec() {}

  /** Encodes {@code image} as PNG with one text chunk per entry of {@code text}. */
  public static byte[] encode(BufferedImage image, Map<String, String> text) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      IIOMetadata meta =
          writer.getDefaultImageMetadata(
              ImageTypeSpecifier.createFromRenderedImage(image), writer.getDefaultWriteParam());
      meta.mergeTree(FORMAT, textTree(text));
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, meta), writer.getDefaultWriteParam());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode PNG", e);
    } finally {
      writer.dispose();
    }
  }

  private static IIOMetadataNode textTree(Map<String, String> text) {
    IIOMetadataNode root = new IIOMetadataNode(FORMAT);
    IIOMetadataNode latin = new IIOMetadataNode("tEXt");
    IIOMetadataNode international = new IIOMetadataNode("iTXt");
    text.forEach(
        (key, value) -> {
          if (StandardCharsets.ISO_8859_1.newEncoder().canEncode(value)) {
            IIOMetadataNode e = new IIOMetadataNode("tEXtEntry");
            e.setAttribute("keyword", key);
            e.setAttribute("value", value);
            latin.appendChild(e);
          } else {
            IIOMetadataNode e = new IIOMetadataNode("iTXtEntry");
            e.setAttribute("keyword", key);
            e.setAttribute("compressionFlag", "FALSE");
            e.setAttribute("compressionMethod", "0");
            e.setAttribute("languageTag", "");
            e.setAttribute("translatedKeyword", "");
            e.setAttribute("text", value);
            international.appendChild(e);
          }
        });
    if (latin.getLength() > 0) {
      root.appendChild(latin);
    }
    if (international.getLength() > 0) {
      root.appendChild(international);
    }
    return root;
  }

  /** Reads every tEXt/iTXt entry of a PNG, in file order. */
  public static Map<String, String> readText(byte[] png) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
    ImageReader reader = readers.next();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
      reader.setInput(in);
      Node root = reader.getImageMetadata(0).getAsTree(FORMAT);
      Map<String, String> out = new LinkedHashMap<>();
      for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
        String name = chunk.getNodeName();
        if (!name.equals("tEXt") && !name.equals("iTXt")) {
          continue;
        }
        for (Node e = chunk.getFirstChild(); e != null; e = e.getNextSibling()) {
          IIOMetadataNode entry = (IIOMetadataNode) e;
          String valueAttr = name.equals("tEXt") ? "value" : "text";
          out.put(entry.getAttribute("keyword"), entry.getAttribute(valueAttr));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read PNG metadata", e);
    } finally {
      reader.dispose();
    }
  }

  /** Decodes a PNG's pixels. */
  public static BufferedImage decode(byte[] png) {
    try {
      return ImageIO.read(new ByteArrayInputStream(png));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode PNG", e);
    }
  }
}
