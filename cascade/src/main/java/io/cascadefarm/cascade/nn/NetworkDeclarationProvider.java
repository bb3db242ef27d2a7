package io.cascadefarm.cascade.nn;

import java.util.List;

/**
 * Service-provider interface for {@code farm net keys}: declares a network at an official
 * configuration without allocating weights. Implementations are listed in {@code
 * META-INF/services/io.cascadefarm.cascade.nn.NetworkDeclarationProvider}.
 */
public interface NetworkDeclarationProvider {

  /** CLI network name, e.g. {@code stage_c}, {@code controlnet}. */
  String network();

  /** Accepted variants (first = default); empty when the network takes no variant. */
  List<String> variants();

  /** The module at the official config of {@code variant} (null/empty = default). */
  Module declare(String variant);
}
