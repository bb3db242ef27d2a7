package io.cascadefarm.cascade.pipeline.control;

import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.RandomWeights;
import io.cascadefarm.cascade.net.controlnet.ControlNet;
import io.cascadefarm.cascade.net.controlnet.ControlNetConfig;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Random weights for the tiny identity ControlNet (the tiny preset writes the other three). */
final class TinyControlNets {
  private TinyControlNets() {}

  static void ensureIdentity(CascadeModels tiny) {
    try {
      RandomWeights.ensure(
          new ControlNet(ControlNetConfig.tinyForVariant("identity")),
          "controlnet/identity",
          tiny.controlNets().file("identity"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tiny identity ControlNet weights", e);
    }
  }
}
