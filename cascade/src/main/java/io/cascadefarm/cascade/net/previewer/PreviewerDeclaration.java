package io.cascadefarm.cascade.net.previewer;

import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.NetworkDeclarationProvider;
import java.util.List;

/** {@code farm net keys --network previewer}: the official Previewer (no variants). */
public class PreviewerDeclaration implements NetworkDeclarationProvider {
  @Override
  public String network() {
    return "previewer";
  }

  @Override
  public List<String> variants() {
    return List.of();
  }

  @Override
  public Module declare(String variant) {
    return new Previewer(PreviewerConfig.official());
  }
}
