package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nn.Sequential}: steps are numbered from 0 including parameter-free ones (GELU, Dropout,
 * Identity...), so parameterised children get PyTorch's indices. A step that is a {@link Module} is
 * registered as child {@code "<index>"}.
 */
public class Sequential extends Module implements Layer {
  private final List<Layer> steps = new ArrayList<>();

  /** Appends a step (a Module child or a parameter-free lambda); returns this. */
  public Sequential add(Layer step) {
    if (step instanceof Module m) {
      child(Integer.toString(steps.size()), m);
    }
    steps.add(step);
    return this;
  }

  /** Appends a parameter-free placeholder (e.g. Dropout in eval mode). */
  public Sequential identity() {
    return add(x -> x);
  }

  public Layer step(int index) {
    return steps.get(index);
  }

  public int size() {
    return steps.size();
  }

  @Override
  public NDArray forward(NDArray x) {
    NDArray h = x;
    for (Layer step : steps) {
      h = step.forward(h);
    }
    return h;
  }
}
