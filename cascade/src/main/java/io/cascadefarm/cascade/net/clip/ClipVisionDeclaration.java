package io.cascadefarm.cascade.net.clip;

import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.NetworkDeclarationProvider;
import java.util.List;

/** {@code farm net keys clip_vision [--variant big]}: the ViT-L/14 image encoder's keys. */
public final class ClipVisionDeclaration implements NetworkDeclarationProvider {
  @Override
  public String network() {
    return "clip_vision";
  }

  @Override
  public List<String> variants() {
    return List.of("big");
  }

  @Override
  public Module declare(String variant) {
    if (variant != null && !variant.isEmpty() && !variant.equals("big")) {
      throw new IllegalArgumentException("clip_vision variant must be big, got " + variant);
    }
    return new ClipVisionModel(ClipVisionConfig.big());
  }
}
