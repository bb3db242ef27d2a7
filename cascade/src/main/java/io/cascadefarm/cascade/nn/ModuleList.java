package io.cascadefarm.cascade.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** {@code nn.ModuleList}: children named {@code 0, 1, ...} in insertion order. */
public class ModuleList<M extends Module> extends Module implements Iterable<M> {
  private final List<M> items = new ArrayList<>();

  public ModuleList<M> add(M module) {
    child(Integer.toString(items.size()), module);
    items.add(module);
    return this;
  }

  public M get(int index) {
    return items.get(index);
  }

  public int size() {
    return items.size();
  }

  public List<M> items() {
    return List.copyOf(items);
  }

  @Override
  public Iterator<M> iterator() {
    return items.iterator();
  }
}
