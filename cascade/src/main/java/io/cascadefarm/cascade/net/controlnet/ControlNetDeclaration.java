package io.cascadefarm.cascade.net.controlnet;

import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.NetworkDeclarationProvider;
import java.util.List;

/**
 * {@code farm net keys --network controlnet --variant canny|inpainting|super_resolution|identity}
 * (default canny).
 */
public class ControlNetDeclaration implements NetworkDeclarationProvider {
  @Override
  public String network() {
    return "controlnet";
  }

  @Override
  public List<String> variants() {
    return List.of("canny", "inpainting", "super_resolution", "identity");
  }

  @Override
  public Module declare(String variant) {
    return new ControlNet(ControlNetConfig.forVariant(variant == null ? "canny" : variant));
  }
}
