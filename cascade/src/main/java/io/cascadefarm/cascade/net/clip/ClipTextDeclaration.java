package io.cascadefarm.cascade.net.clip;

import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.NetworkDeclarationProvider;
import java.util.List;

/** {@code farm net keys clip_text [--variant big]}: the bigG text encoder's checkpoint keys. */
public final class ClipTextDeclaration implements NetworkDeclarationProvider {
  @Override
  public String network() {
    return "clip_text";
  }

  @Override
  public List<String> variants() {
    return List.of("big");
  }

  @Override
  public Module declare(String variant) {
    if (variant != null && !variant.isEmpty() && !variant.equals("big")) {
      throw new IllegalArgumentException("clip_text variant must be big, got " + variant);
    }
    return new ClipTextModel(ClipTextConfig.big());
  }
}
