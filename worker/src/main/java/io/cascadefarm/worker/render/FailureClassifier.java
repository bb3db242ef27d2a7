package io.cascadefarm.worker.render;

import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.port.RenderException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns a render or upload failure into a {@link JobError}. A {@link RenderException} says itself
 * whether it is retryable; out-of-memory, I/O and storage errors are retryable; invalid input is
 * not; anything unexpected is treated as retryable (the attempt limit bounds it).
 */
public final class FailureClassifier {
  private FailureClassifier() {}

  public static JobError classify(Throwable t) {
    String msg = String.valueOf(t.getMessage());
    if (t instanceof RenderException r) {
      return new JobError(r.code(), msg, r.retryable());
    }
    if (t instanceof OutOfMemoryError) {
      return new JobError("out_of_memory", msg, true);
    }
    if (t instanceof StorageException) {
      return new JobError("storage_error", msg, true);
    }
    if (t instanceof IllegalArgumentException) {
      return new JobError("invalid_input", msg, false);
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException || c instanceof UncheckedIOException) {
        return new JobError("io_error", msg, true);
      }
    }
    return new JobError("render_error", t.getClass().getSimpleName() + ": " + msg, true);
  }
}
