package io.cascadefarm.cascade.net.lora;

import io.cascadefarm.cascade.io.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps the pairs of a {@link LoraFile} to model weights (official modules/lora.py apply_lora).
 * Official layout: the k-th pair goes to the k-th weight selected by {@code apply_lora(model,
 * filters)} (module-traversal order, see {@link KeyTree#loraTargets}); the count and every shape
 * ({@code up} (out, r) vs the weight's rows, {@code down} (r, in) vs its columns) are checked, so a
 * file for another model size or filter set is refused. PEFT layout: by name, {@code
 * to_q/to_k/to_v} to the row blocks 0, c, 2c of {@code attention.attn.in_proj_weight}, {@code
 * to_out.0} to {@code attention.attn.out_proj.weight}.
 */
public final class LoraTargets {
  /** {@code module_filters} of the released config ({@code configs/inference/lora_c_3b.yaml}). */
  public static final List<String> OFFICIAL_FILTERS = List.of(".attn");

  private LoraTargets() {}

  /**
   * @param modelShapes the model's weight keys and shapes in {@code state_dict} order
   * @param filters module-name filters (official layout only)
   */
  public static List<LoraTarget> resolve(
      LoraFile file, Map<String, long[]> modelShapes, List<String> filters) {
    List<LoraTarget> out =
        file.layout() == LoraLayout.OFFICIAL
            ? official(file, modelShapes, filters)
            : peft(file, modelShapes);
    for (LoraTarget t : out) {
      check(file, t, modelShapes.get(t.key()));
    }
    return out;
  }

  /**
   * The weight keys {@code apply_lora(model, filters)} parametrizes, in the order of its LoRA
   * modules ({@code weights.<k>} order of an official LoRA file).
   */
  public static List<String> officialKeys(Map<String, long[]> modelShapes, List<String> filters) {
    return KeyTree.of(modelShapes).loraTargets(filters);
  }

  private static List<LoraTarget> official(
      LoraFile file, Map<String, long[]> shapes, List<String> filters) {
    List<String> keys = KeyTree.of(shapes).loraTargets(filters);
    if (keys.size() != file.pairs().size()) {
      throw new IllegalArgumentException(
          file.path()
              + ": "
              + file.pairs().size()
              + " LoRA pairs but the model has "
              + keys.size()
              + " weights under filters "
              + filters
              + " (LoRA for another model size?)");
    }
    List<LoraTarget> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      out.add(new LoraTarget(keys.get(i), file.pairs().get(i), 0));
    }
    return out;
  }

  private static List<LoraTarget> peft(LoraFile file, Map<String, long[]> shapes) {
    List<LoraTarget> out = new ArrayList<>();
    for (LoraPair p : file.pairs()) {
      String name = p.name();
      String block = name.substring(0, name.indexOf(".attention.")) + ".attention.attn.";
      String proj = name.substring(name.indexOf(".attention.") + ".attention.".length());
      if (proj.equals("to_out.0")) {
        out.add(new LoraTarget(block + "out_proj.weight", p, 0));
        continue;
      }
      int block3 =
          switch (proj) {
            case "to_q" -> 0;
            case "to_k" -> 1;
            default -> 2;
          };
      out.add(new LoraTarget(block + "in_proj_weight", p, block3 * p.in()));
    }
    return out;
  }

  private static void check(LoraFile file, LoraTarget t, long[] shape) {
    LoraPair p = t.pair();
    if (shape == null) {
      throw new IllegalArgumentException(
          file.path() + ": '" + p.name() + "' targets '" + t.key() + "', which the model lacks");
    }
    long trailing = 1;
    for (int i = 2; i < shape.length; i++) {
      trailing *= shape[i];
    }
    // official layout: a conv weight (out, in, kh, kw) takes an (out, in) update broadcast over
    // the kernel (LoRA.forward views it as (out, in, 1, 1)); split q/k/v blocks are 2-D only
    boolean kernelOk =
        trailing == 1 || (file.layout() == LoraLayout.OFFICIAL && t.rowOffset() == 0);
    if (shape.length < 2
        || !kernelOk
        || shape[1] != p.in()
        || t.rowOffset() + p.out() > shape[0]
        || (t.rowOffset() == 0 && file.layout() == LoraLayout.OFFICIAL && shape[0] != p.out())) {
      throw new IllegalArgumentException(
          file.path()
              + ": '"
              + p.name()
              + "' (up "
              + p.out()
              + "x"
              + p.rank()
              + ", down "
              + p.rank()
              + "x"
              + p.in()
              + ") does not fit '"
              + t.key()
              + "' "
              + TensorInfo.shapeText(shape));
    }
  }
}
