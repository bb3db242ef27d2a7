package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Token-embedding rows that replace or extend the checkpoint's {@code token_embedding.weight} (LoRA
 * "ReToken" rows). The base table is never copied: rows are gathered from it and the overridden
 * positions are patched afterwards.
 */
final class TokenRows {
  static final TokenRows NONE = new TokenRows(Map.of());

  private final Map<Integer, float[]> rows;

  TokenRows(Map<Integer, float[]> rows) {
    Map<Integer, float[]> copy = new TreeMap<>();
    rows.forEach((id, row) -> copy.put(id, row.clone()));
    this.rows = Collections.unmodifiableMap(copy);
  }

  boolean contains(int id) {
    return rows.containsKey(id);
  }

  float[] row(int id) {
    return rows.get(id).clone();
  }

  Map<Integer, float[]> asMap() {
    return rows;
  }

  /** Ids to gather from the base table: overridden or extra ids are replaced by 0. */
  long[] gatherIds(int[][] ids, int baseRows) {
    int l = ids[0].length;
    long[] flat = new long[ids.length * l];
    for (int b = 0; b < ids.length; b++) {
      for (int i = 0; i < l; i++) {
        int id = ids[b][i];
        if (id >= baseRows && !rows.containsKey(id)) {
          throw new IllegalArgumentException(
              "token id " + id + " is outside the embedding table (" + baseRows + " rows)");
        }
        flat[b * l + i] = rows.containsKey(id) || id < 0 ? 0 : id;
      }
    }
    return flat;
  }

  /** Writes the replacement rows into {@code embedded} (B, L, D) where the ids ask for them. */
  void patch(NDArray embedded, int[][] ids) {
    for (int b = 0; b < ids.length; b++) {
      for (int i = 0; i < ids[b].length; i++) {
        float[] row = rows.get(ids[b][i]);
        if (row != null) {
          embedded.set(new NDIndex(b, i), embedded.getManager().create(row));
        }
      }
    }
  }

  @Override
  public String toString() {
    return "TokenRows" + Arrays.toString(rows.keySet().toArray());
  }
}
