package io.cascadefarm.db;

import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.port.NewBatch;
import io.cascadefarm.common.port.NewJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds jobs and batches with resolved parameters. */
final class TestJobs {
  static final String TENANT = "acme";

  private TestJobs() {}

  static NewJob job(String prompt, int maxAttempts) {
    return job(TENANT, prompt, maxAttempts);
  }

  static NewJob job(String tenant, String prompt, int maxAttempts) {
    JobParams params = JobDefaults.resolve(JobParams.textToImage(prompt), () -> 42L);
    return new NewJob(UUID.randomUUID(), tenant, params, maxAttempts);
  }

  static NewBatch batch(int size) {
    List<NewJob> jobs = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      jobs.add(job("a \"quoted\", comma\nnewline prompt #" + i, 3));
    }
    return new NewBatch(UUID.randomUUID(), TENANT, jobs, Map.of("owner", "test"));
  }
}
