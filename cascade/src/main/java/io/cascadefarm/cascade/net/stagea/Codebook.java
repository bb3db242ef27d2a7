package io.cascadefarm.cascade.net.stagea;

import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;

/** {@code nn.Embedding(k, c)} holding the VQ codebook: key {@code weight} (k, c). */
final class Codebook extends Module {
  final Parameter weight;

  Codebook(long k, long c) {
    weight = param("weight", k, c);
  }
}
