package io.cascadefarm.cascade.nn;

import io.cascadefarm.cascade.io.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Looks up {@link NetworkDeclarationProvider}s and prints key listings ({@code key<TAB>[shape]}).
 */
public final class NetworkCatalog {
  private NetworkCatalog() {}

  /** Registered providers by network name. */
  public static Map<String, NetworkDeclarationProvider> providers() {
    Map<String, NetworkDeclarationProvider> out = new TreeMap<>();
    Services.load(NetworkDeclarationProvider.class).forEach(p -> out.put(p.network(), p));
    return out;
  }

  /** Declares {@code network} at {@code variant} (null = default); clear errors for bad names. */
  public static Module declare(String network, String variant) {
    NetworkDeclarationProvider p = providers().get(network);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown network '" + network + "'; known: " + providers().keySet());
    }
    List<String> variants = p.variants();
    if (variants.isEmpty()) {
      if (variant != null && !variant.isEmpty()) {
        throw new IllegalArgumentException("network '" + network + "' takes no variant");
      }
      return p.declare(null);
    }
    String v = variant == null || variant.isEmpty() ? variants.get(0) : variant;
    if (!variants.contains(v)) {
      throw new IllegalArgumentException(
          "unknown variant '" + v + "' for network '" + network + "'; known: " + variants);
    }
    return p.declare(v);
  }

  /** One line per parameter/buffer: {@code key<TAB>[d0,d1,...]}, in state_dict order. */
  public static List<String> keyLines(Module module) {
    return module.namedParameters().entrySet().stream()
        .map(e -> e.getKey() + "\t" + TensorInfo.shapeText(e.getValue().shape()))
        .collect(Collectors.toList());
  }

  /** Prints {@link #keyLines} of a declared network. */
  public static void printKeys(String network, String variant, Appendable out) {
    try {
      for (String line : keyLines(declare(network, variant))) {
        out.append(line).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
