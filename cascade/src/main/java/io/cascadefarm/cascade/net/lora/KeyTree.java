package io.cascadefarm.cascade.net.lora;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The module tree implied by an ordered {@code state_dict} key list: a module's children appear in
 * the order of their first key.
 */
final class KeyTree {
  private final String path;
  private final Map<String, KeyTree> children = new LinkedHashMap<>();
  private final Map<String, long[]> params = new LinkedHashMap<>();

  private KeyTree(String path) {
    this.path = path;
  }

  static KeyTree of(Map<String, long[]> orderedKeys) {
    KeyTree root = new KeyTree("");
    orderedKeys.forEach(
        (key, shape) -> {
          String[] parts = key.split("\\.");
          KeyTree node = root;
          for (int i = 0; i < parts.length - 1; i++) {
            String childPath = node.path.isEmpty() ? parts[i] : node.path + "." + parts[i];
            node = node.children.computeIfAbsent(parts[i], p -> new KeyTree(childPath));
          }
          node.params.put(parts[parts.length - 1], shape);
        });
    return root;
  }

  /**
   * Weights the official {@code apply_lora(model, filters)} parametrizes, in the order its LoRA
   * modules appear in {@code model.modules()}: a module qualifies when its dotted name contains a
   * filter and it has {@code weight} (else {@code in_proj_weight}); because the parametrization is
   * attached as the module's last child, a module's LoRA comes after those of its descendants
   * (post-order), e.g. {@code attn.out_proj.weight} before {@code attn.in_proj_weight}.
   */
  List<String> loraTargets(List<String> filters) {
    List<String> out = new ArrayList<>();
    collect(filters, out);
    return out;
  }

  private void collect(List<String> filters, List<String> out) {
    for (KeyTree child : children.values()) {
      child.collect(filters, out);
    }
    if (path.isEmpty() || filters.stream().noneMatch(path::contains)) {
      return;
    }
    if (params.containsKey("weight")) {
      out.add(path + ".weight");
    } else if (params.containsKey("in_proj_weight")) {
      out.add(path + ".in_proj_weight");
    }
  }
}
