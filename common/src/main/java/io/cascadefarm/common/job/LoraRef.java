package io.cascadefarm.common.job;

/**
 * A LoRA applied to a job: the name it was uploaded under, the merge strength, and the SHA-256 of
 * the exact file the job was accepted with. The dispatcher pins the hash at submit (clients cannot
 * set it); a worker renders only with a file of that hash, so replacing the name later, or swapping
 * the file in the bucket, changes nothing for a queued job. Null for jobs accepted before pinning
 * (the worker then uses the name's current file).
 */
public record LoraRef(String name, double strength, String sha256) {
  public LoraRef(String name, double strength) {
    this(name, strength, null);
  }

  /** This reference pinned to {@code sha256}. */
  public LoraRef pinned(String sha) {
    return new LoraRef(name, strength, sha);
  }
}
