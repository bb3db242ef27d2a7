package io.cascadefarm.cascade.net.effnet;

import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.NetworkDeclarationProvider;
import java.util.List;

/** {@code farm net keys --network effnet}: the official EfficientNet encoder (no variants). */
public class EffnetDeclaration implements NetworkDeclarationProvider {
  @Override
  public String network() {
    return "effnet";
  }

  @Override
  public List<String> variants() {
    return List.of();
  }

  @Override
  public Module declare(String variant) {
    return new EfficientNetEncoder(EffnetEncoderConfig.official());
  }
}
