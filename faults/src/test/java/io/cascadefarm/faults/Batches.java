package io.cascadefarm.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

/** What the scenarios do with batches: submit, find a running job, wait for a clean finish. */
final class Batches {
  private Batches() {}

  static List<String> prompts(String stem, int n) {
    return IntStream.range(0, n).mapToObj(i -> stem + " " + i).toList();
  }

  /** Submits a tiny batch, checks the 202 and returns the batch id. */
  static UUID submit(FaultFarm farm, List<String> prompts, int priorSteps) {
    FarmHttp.Answer a = farm.http().submit(prompts, priorSteps);
    assertEquals(202, a.status(), a::body);
    return UUID.fromString(a.json().path("id").asText());
  }

  /** A job of the batch that is running now and the worker running it. */
  record Running(UUID job, String worker) {}

  /** Waits until one job of the batch is running and returns it with its worker. */
  static Running awaitRunning(FaultFarm farm, UUID batch, Duration limit) {
    Running[] found = new Running[1];
    Await.until(
        "a running job in batch " + batch,
        limit,
        () -> {
          Optional<Running> r = running(farm, batch);
          r.ifPresent(x -> found[0] = x);
          return r.isPresent();
        },
        () -> farm.audit.counts(batch).toString());
    return found[0];
  }

  private static Optional<Running> running(FaultFarm farm, UUID batch) {
    List<Transition> ts = farm.audit.transitions(batch);
    for (JobRow j : farm.audit.jobs(batch)) {
      if (j.status().equals("running")) {
        for (int i = ts.size() - 1; i >= 0; i--) {
          Transition t = ts.get(i);
          if (t.job().equals(j.id()) && t.event().equals("claim")) {
            return Optional.of(new Running(j.id(), t.worker()));
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Waits until every job is final, then checks {@link CleanFinish} and returns its figures. */
  static CleanFinish.Stats awaitCleanFinish(FaultFarm farm, UUID batch, int jobs, Duration limit) {
    Await.until(
        jobs + " jobs of batch " + batch + " to finish",
        limit,
        () -> farm.audit.finished(batch, jobs),
        () -> farm.audit.counts(batch).toString());
    List<JobRow> rows = farm.audit.jobs(batch);
    assertEquals(jobs, rows.size());
    List<String> keys = farm.objects.list("results/");
    return CleanFinish.check(rows, farm.audit.transitions(batch), keys);
  }
}
