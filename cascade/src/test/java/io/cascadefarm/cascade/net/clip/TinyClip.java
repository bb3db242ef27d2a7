package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.text.ClipTokenizer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Tiny encoders with random weights over the hand-made test vocabulary (529 ids). */
final class TinyClip {
  static final long SEED = 7;

  private TinyClip() {}

  static ClipTokenizer tokenizer() {
    try {
      Path vocab = Path.of(TinyClip.class.getResource("/clip/tokenizer/vocab.json").toURI());
      return ClipTokenizer.load(vocab.getParent());
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static ClipTextConfig textConfig() {
    return ClipTextConfig.tiny(529);
  }

  static RandomWeights textWeights() {
    return new RandomWeights(new ClipTextModel(textConfig()), SEED);
  }

  static ClipTextEncoder text(NDManager manager) {
    return ClipTextEncoder.create(tokenizer(), textConfig(), textWeights(), manager);
  }
}
