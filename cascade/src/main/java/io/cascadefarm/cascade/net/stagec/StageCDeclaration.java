package io.cascadefarm.cascade.net.stagec;

import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.NetworkDeclarationProvider;
import java.util.List;

/** {@code farm net keys --network stage_c --variant big|lite}. */
public class StageCDeclaration implements NetworkDeclarationProvider {
  @Override
  public String network() {
    return "stage_c";
  }

  @Override
  public List<String> variants() {
    return List.of("big", "lite");
  }

  @Override
  public Module declare(String variant) {
    return new StageC("lite".equals(variant) ? StageCConfig.lite() : StageCConfig.big());
  }
}
