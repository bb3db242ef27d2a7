package io.cascadefarm.cascade.pipeline;

import java.util.concurrent.CancellationException;

/** Thrown by {@link CascadePipeline#generate} when its listener asked to stop between steps. */
public class GenerationCancelledException extends CancellationException {
  private static final long serialVersionUID = 1L;

  public GenerationCancelledException(String message) {
    super(message);
  }
}
