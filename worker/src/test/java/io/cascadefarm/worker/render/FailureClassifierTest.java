package io.cascadefarm.worker.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.port.RenderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {
  @Test
  void renderExceptionsKeepTheirCodeAndRetryability() {
    JobError e = FailureClassifier.classify(new RenderException("bad_size", "width", false, null));
    assertEquals(new JobError("bad_size", "width", false), e);
  }

  @Test
  void resourceAndStorageErrorsAreRetryable() {
    assertEquals("out_of_memory", FailureClassifier.classify(new OutOfMemoryError("x")).code());
    JobError io =
        FailureClassifier.classify(
            new IllegalStateException("wrapped", new UncheckedIOException(new IOException("x"))));
    assertEquals("io_error", io.code());
    assertTrue(io.retryable());
    assertTrue(FailureClassifier.classify(new StorageException("s3", null)).retryable());
  }

  @Test
  void invalidInputIsNotRetryable() {
    JobError e = FailureClassifier.classify(new IllegalArgumentException("width must be > 0"));
    assertEquals("invalid_input", e.code());
    assertFalse(e.retryable());
  }

  @Test
  void unexpectedErrorsAreRetryableRenderErrors() {
    JobError e = FailureClassifier.classify(new NullPointerException("boom"));
    assertEquals("render_error", e.code());
    assertTrue(e.retryable());
    assertTrue(e.message().contains("NullPointerException"));
  }
}
