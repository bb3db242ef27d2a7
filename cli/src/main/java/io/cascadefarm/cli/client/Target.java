package io.cascadefarm.cli.client;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Exactly one of a job id (positional) or {@code --batch ID}. */
public final class Target {
  @Parameters(index = "0", arity = "0..1", paramLabel = "JOB", description = "A job id")
  String job;

  @Option(names = "--batch", paramLabel = "ID", description = "A batch id instead of a job")
  String batch;

  /** Checks that exactly one is given. */
  void validate() {
    if ((job == null) == (batch == null)) {
      throw new IllegalArgumentException("give exactly one of JOB or --batch ID");
    }
  }

  boolean isBatch() {
    return batch != null;
  }

  /** {@code /v1/jobs/<id>} or {@code /v1/batches/<id>}. */
  String path() {
    validate();
    return isBatch() ? "/v1/batches/" + batch : "/v1/jobs/" + job;
  }
}
