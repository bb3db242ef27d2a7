package io.cascadefarm.cascade.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.AdamW} with PyTorch's defaults (betas 0.9/0.999, eps 1e-8, weight decay 0.01,
 * no amsgrad), the single-tensor update of torch 1.13/2.x operation by operation:
 *
 * <pre>
 * p *= 1 - lr*wd;  m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g*g
 * p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)
 * </pre>
 *
 * The moments live in this optimizer's manager; {@link #state}/{@link #load} round-trip them for
 * checkpoints (keys {@code <name>.exp_avg}, {@code <name>.exp_avg_sq}).
 */
public final class AdamW implements AutoCloseable {
  public static final double BETA1 = 0.9;
  public static final double BETA2 = 0.999;
  public static final double EPS = 1e-8;
  public static final double WEIGHT_DECAY = 0.01;

  private final NDManager manager;
  private final double weightDecay;
  private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
  private long step;

  public AdamW(NDManager parent) {
    this(parent, WEIGHT_DECAY);
  }

  public AdamW(NDManager parent, double weightDecay) {
    this.manager = parent.newSubManager();
    this.weightDecay = weightDecay;
  }

  /** Number of updates applied so far (torch's per-parameter {@code step}). */
  public long step() {
    return step;
  }

  /**
   * One update of every parameter with its gradient ({@code grads.get(i)} for {@code
   * params.get(i)}) at learning rate {@code lr}.
   */
  public void update(List<Trainable> params, List<NDArray> grads, double lr) {
    step++;
    double bc1 = 1 - Math.pow(BETA1, step);
    double bc2 = 1 - Math.pow(BETA2, step);
    double stepSize = lr / bc1;
    double bc2Sqrt = Math.sqrt(bc2);
    for (int i = 0; i < params.size(); i++) {
      Trainable p = params.get(i);
      NDArray g = grads.get(i);
      NDArray[] mv =
          moments.computeIfAbsent(p.name(), k -> new NDArray[] {zerosLike(g), zerosLike(g)});
      try (NDManager work = manager.newSubManager()) {
        NDArray value = p.value().stopGradient();
        value.attach(work);
        NDArray decayed = value.mul((float) (1 - lr * weightDecay));
        NDArray m = mv[0].mul((float) BETA1).add(g.mul((float) (1 - BETA1)));
        NDArray v = mv[1].mul((float) BETA2).add(g.mul(g).mul((float) (1 - BETA2)));
        NDArray denom = v.sqrt().div((float) bc2Sqrt).add((float) EPS);
        NDArray next = decayed.sub(m.div(denom).mul((float) stepSize));
        m.attach(manager);
        v.attach(manager);
        mv[0].close();
        mv[1].close();
        mv[0] = m;
        mv[1] = v;
        next.attach(manager);
        p.replace(next);
      }
    }
  }

  private NDArray zerosLike(NDArray g) {
    return manager.zeros(g.getShape(), g.getDataType());
  }

  /** The optimizer state as named float tensors (moments) plus the step count. */
  public Map<String, NDArray> state() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    moments.forEach(
        (k, mv) -> {
          out.put(k + ".exp_avg", mv[0]);
          out.put(k + ".exp_avg_sq", mv[1]);
        });
    return out;
  }

  /** Restores moments (copied into this optimizer) and the step count. */
  public void load(Map<String, NDArray> state, long step) {
    List<String> names = new ArrayList<>();
    for (String k : state.keySet()) {
      if (k.endsWith(".exp_avg")) {
        names.add(k.substring(0, k.length() - ".exp_avg".length()));
      }
    }
    moments
        .values()
        .forEach(
            mv -> {
              mv[0].close();
              mv[1].close();
            });
    moments.clear();
    for (String n : names) {
      NDArray m = state.get(n + ".exp_avg").duplicate();
      NDArray v = state.get(n + ".exp_avg_sq").duplicate();
      m.attach(manager);
      v.attach(manager);
      moments.put(n, new NDArray[] {m, v});
    }
    this.step = step;
  }

  @Override
  public void close() {
    manager.close();
  }
}
