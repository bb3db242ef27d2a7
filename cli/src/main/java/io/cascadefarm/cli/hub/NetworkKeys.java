package io.cascadefarm.cli.hub;

import io.cascadefarm.cascade.net.clip.ClipWeights;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.NetworkCatalog;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.nn.WeightSource;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Key compatibility of a checkpoint: opens only the safetensors header and checks every key and
 * shape against the network the file is for (the same declarations {@code farm net keys} prints),
 * with the strict rules of {@link WeightBinder#check}. No weights are loaded.
 */
public final class NetworkKeys {
  private NetworkKeys() {}

  /** {network, variant-or-null} of a repo path, or null when the file holds no network. */
  public static String[] networkOf(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (path.startsWith("text_encoder/") && name.endsWith(".safetensors")) {
      return new String[] {"clip_text", "big"};
    }
    if (path.startsWith("image_encoder/") && name.endsWith(".safetensors")) {
      return new String[] {"clip_vision", "big"};
    }
    if (path.startsWith("controlnet/")) {
      return new String[] {"controlnet", name.replace(".safetensors", "")};
    }
    if (name.startsWith("stage_c") || name.startsWith("stage_b")) {
      return new String[] {name.substring(0, 7), name.contains("_lite") ? "lite" : "big"};
    }
    return switch (name) {
      case "stage_a.safetensors" -> new String[] {"stage_a", null};
      case "effnet_encoder.safetensors" -> new String[] {"effnet", null};
      case "previewer.safetensors" -> new String[] {"previewer", null};
      default -> null;
    };
  }

  /**
   * Checks {@code file} (repo path {@code path}); returns null when compatible or not a network,
   * else the mismatch message.
   */
  public static String check(String path, Path file) throws IOException {
    String[] net = networkOf(path);
    if (net == null) {
      return null;
    }
    Module module = NetworkCatalog.declare(net[0], net[1]);
    try (WeightSource src =
        net[0].startsWith("clip") ? ClipWeights.open(file) : SafetensorsWeights.open(file)) {
      WeightBinder.check(module, src);
      return null;
    } catch (IOException | RuntimeException e) {
      return e.getMessage();
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
