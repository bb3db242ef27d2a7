package io.cascadefarm.faults;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.imageio.ImageIO;

/** Small dataset images of the training fault tests, stored as uploads in the farm's S3. */
final class TrainingImages {
  private TrainingImages() {}

  /** Image {@code i} (two aspect ratios), stored under its upload key, which is returned. */
  static String upload(FaultFarm farm, int i) throws Exception {
    BufferedImage img = new BufferedImage(96 + 32 * (i % 2), 128, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color((i * 61) % 256, (i * 17) % 256, 200));
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    byte[] png = out.toByteArray();
    String key =
        "uploads/"
            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png))
            + ".png";
    farm.objects.put(key, png, "image/png");
    return key;
  }
}
