package io.cascadefarm.cascade.net.clip;

import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;

/** {@code nn.Embedding(rows, width)}: one key, {@code weight} (rows, width). */
final class EmbeddingTable extends Module {
  private final Parameter weight;

  EmbeddingTable(long rows, long width) {
    this.weight = param("weight", rows, width);
  }

  Parameter weight() {
    return weight;
  }
}
