package io.cascadefarm.cli.local;

import java.nio.file.Path;

/** A parsed {@code --lora name=path[:strength]} option. */
record LoraSpec(String name, Path path, double strength) {

  static LoraSpec parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException(
          "--lora must be name=path.safetensors[:strength], got " + spec);
    }
    String name = spec.substring(0, eq);
    String rest = spec.substring(eq + 1);
    double strength = 1.0;
    int colon = rest.lastIndexOf(':');
    if (colon > 0) {
      try {
        strength = Double.parseDouble(rest.substring(colon + 1));
        rest = rest.substring(0, colon);
      } catch (NumberFormatException e) {
        // no strength suffix: the colon belongs to the path
      }
    }
    if (!Double.isFinite(strength)) {
      throw new IllegalArgumentException("--lora " + name + ": strength must be finite");
    }
    return new LoraSpec(name, Path.of(rest), strength);
  }
}
