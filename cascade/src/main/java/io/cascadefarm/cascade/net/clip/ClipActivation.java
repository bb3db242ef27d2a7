package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Ops;

/** MLP activations of CLIP towers ({@code hidden_act} in the transformers config). */
public enum ClipActivation {
  /** Exact erf GELU ({@code "gelu"}; OpenCLIP bigG text tower). */
  GELU,
  /** {@code x * sigmoid(1.702 x)} ({@code "quick_gelu"}; OpenAI ViT-L/14). */
  QUICK_GELU;

  NDArray apply(NDArray x) {
    return switch (this) {
      case GELU -> Ops.gelu(x);
      case QUICK_GELU -> x.mul(Ops.sigmoid(x.mul(1.702f)));
    };
  }
}
