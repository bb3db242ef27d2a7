package io.cascadefarm.cascade.net.stagea;

import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.NetworkDeclarationProvider;
import java.util.List;

/** {@code farm net keys --network stage_a}: the official Stage A (no variants). */
public class StageADeclaration implements NetworkDeclarationProvider {
  @Override
  public String network() {
    return "stage_a";
  }

  @Override
  public List<String> variants() {
    return List.of();
  }

  @Override
  public Module declare(String variant) {
    return new StageA(StageAConfig.official());
  }
}
