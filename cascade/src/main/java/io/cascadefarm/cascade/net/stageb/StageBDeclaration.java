package io.cascadefarm.cascade.net.stageb;

import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.NetworkDeclarationProvider;
import java.util.List;

/** {@code farm net keys --network stage_b --variant big|lite}. */
public class StageBDeclaration implements NetworkDeclarationProvider {
  @Override
  public String network() {
    return "stage_b";
  }

  @Override
  public List<String> variants() {
    return List.of("big", "lite");
  }

  @Override
  public Module declare(String variant) {
    return new StageB("lite".equals(variant) ? StageBConfig.lite() : StageBConfig.big());
  }
}
