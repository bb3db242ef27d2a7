package io.cascadefarm.cli.bench;

import java.io.PrintStream;
import java.util.Locale;

/** The result table of {@code farm bench farm}. */
record BenchTable(int jobs, int workers, int batchSize, String model, int size) {

  void print(
      PrintStream out,
      int succeeded,
      long submitNanos,
      long wallNanos,
      long renderNanos,
      long baselinePerJobNanos,
      long renderCalls) {
    double wall = wallNanos / 1e9;
    double render = renderNanos / 1e9;
    double baselinePerJob = baselinePerJobNanos / 1e9;
    double overheadPerJob = (wall * workers - render) / jobs;
    out.printf(
        Locale.ROOT,
        "%nfarm bench: %d %s jobs of %dx%d, %d worker(s), batch size %d%n",
        jobs,
        model,
        size,
        size,
        workers,
        batchSize);
    row(out, "jobs succeeded", String.valueOf(succeeded) + "/" + jobs);
    row(out, "POST /v1/batches answered in", ms(submitNanos / 1e9));
    row(out, "farm wall time (POST -> all succeeded)", sec(wall));
    row(out, "render time reported by the workers", sec(render) + " in " + renderCalls + " calls");
    row(out, "end-to-end time per job (wall/jobs)", ms(wall / jobs));
    row(out, "baseline: direct render per job (same renderer)", ms(baselinePerJob));
    row(out, "farm overhead per job ((wall*workers-render)/jobs)", ms(overheadPerJob));
    row(
        out,
        "ratio end-to-end per job / baseline per job",
        String.format(Locale.ROOT, "%.2f", wall / jobs / baselinePerJob));
  }

  /** Median and p99 of per-job spans read back from the job records. */
  void printSpans(PrintStream out, JobSpans spans) {
    row(out, "claimed -> succeeded per job, p50 / p99", spans.claimToDone());
    row(out, "created -> succeeded per job, p50 / p99", spans.createToDone());
  }

  private static void row(PrintStream out, String name, String value) {
    out.printf(Locale.ROOT, "| %-50s | %22s |%n", name, value);
  }

  private static String sec(double s) {
    return String.format(Locale.ROOT, "%.2f s", s);
  }

  private static String ms(double s) {
    return String.format(Locale.ROOT, "%.1f ms", s * 1000);
  }
}
