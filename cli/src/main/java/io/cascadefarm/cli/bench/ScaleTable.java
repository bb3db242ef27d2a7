package io.cascadefarm.cli.bench;

import io.cascadefarm.db.StatementCounter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of {@code farm bench farm --scale}: one row per batch size, all measured in one run on
 * one farm, each row's farm overhead per job divided by the first row's (the baseline), and the SQL
 * statements the workers sent per job. No figure here is compared with a fixed threshold.
 *
 * <p>Two overheads per job are printed. <b>Total</b>: (wall x workers - render) / jobs, which
 * includes the fixed costs of a batch (submission, the first group's wait for companions, the last
 * group's tail), so it falls as batches grow. <b>Marginal</b>: the growth of the total overhead
 * from the previous row to this one divided by the growth in jobs, i.e. the overhead each further
 * job adds once the fixed costs are paid (the fixed costs cancel in the difference); its ratio is
 * to the second row's marginal, the first one measured.
 */
final class ScaleTable {
  /** Statement operations counted as claim, progress and completion (StatementCounter names). */
  static final List<String> CLAIM = List.of("claim");

  static final List<String> PROGRESS = List.of("sync", "progress");
  static final List<String> COMPLETE = List.of("succeed", "fail");

  /** One batch through the farm: its size, wall time, render time and worker SQL statements. */
  record Row(int jobs, long wallNanos, long renderNanos, StatementCounter.Counts sql) {
    /** A row whose statements are not split by operation (all counted as rest). */
    Row(int jobs, long wallNanos, long renderNanos, long statements) {
      this(jobs, wallNanos, renderNanos, new StatementCounter.Counts(statements, 0, 0, Map.of()));
    }

    /** Wall x workers - render, in seconds: the farm's time spent on the batch beyond rendering. */
    double overhead(int workers) {
      return wallNanos / 1e9 * workers - renderNanos / 1e9;
    }

    /** (wall x workers - render) / jobs, in seconds. */
    double overheadPerJob(int workers) {
      return overhead(workers) / jobs;
    }

    double statementsPerJob() {
      return (double) sql.statements() / jobs;
    }

    double perJob(List<String> operations) {
      return operations.stream().mapToLong(sql::statements).sum() / (double) jobs;
    }

    /** Statements other than claim, progress and completion (heartbeats, registry...) per job. */
    double restPerJob() {
      return statementsPerJob() - perJob(CLAIM) - perJob(PROGRESS) - perJob(COMPLETE);
    }
  }

  private final int workers;
  private final List<Row> rows = new ArrayList<>();

  ScaleTable(int workers) {
    this.workers = workers;
  }

  void add(Row row) {
    rows.add(row);
  }

  /** Row {@code i}'s overhead per job over the first row's (1.0 for the first row). */
  double ratio(int i) {
    return rows.get(i).overheadPerJob(workers) / rows.get(0).overheadPerJob(workers);
  }

  /** Marginal overhead per job of row {@code i} (i >= 1) against row i - 1, in seconds. */
  double marginal(int i) {
    Row a = rows.get(i - 1);
    Row b = rows.get(i);
    return (b.overhead(workers) - a.overhead(workers)) / (b.jobs() - a.jobs());
  }

  void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%n| %6s | %9s | %12s | %6s | %15s | %6s | %5s | %8s | %8s | %8s | %5s | %5s |%n",
        "jobs",
        "wall",
        "overhead/job",
        "ratio",
        "marginal/job",
        "ratio",
        "claim",
        "progress",
        "complete",
        "c+p+c",
        "rest",
        "SQL");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      boolean hasMarginal = i > 0 && r.jobs() != rows.get(i - 1).jobs();
      double cpc = r.perJob(CLAIM) + r.perJob(PROGRESS) + r.perJob(COMPLETE);
      out.printf(
          Locale.ROOT,
          "| %6d | %7.2f s | %9.1f ms | %6.2f | %15s | %6s | %5.2f | %8.2f | %8.2f | %8.2f | %5.2f"
              + " | %5.2f |%n",
          r.jobs(),
          r.wallNanos() / 1e9,
          r.overheadPerJob(workers) * 1000,
          ratio(i),
          hasMarginal ? String.format(Locale.ROOT, "%.1f ms", marginal(i) * 1000) : "-",
          hasMarginal && i > 1 && rows.get(0).jobs() != rows.get(1).jobs()
              ? String.format(Locale.ROOT, "%.2f", marginal(i) / marginal(1))
              : hasMarginal ? "1.00" : "-",
          r.perJob(CLAIM),
          r.perJob(PROGRESS),
          r.perJob(COMPLETE),
          cpc,
          r.restPerJob(),
          r.statementsPerJob());
    }
    out.println(
        "overhead/job = (wall x workers - render) / jobs, ratio to the first row; marginal/job ="
            + " the growth in (wall x workers - render) from the previous row over the growth in"
            + " jobs (fixed costs per batch cancel), ratio to the second row's; SQL columns:"
            + " worker statements per job by operation (claim; progress = sync + progress;"
            + " complete = succeed + fail; rest = heartbeats, registry and everything else).");
  }
}
