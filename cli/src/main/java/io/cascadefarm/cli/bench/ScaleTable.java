package io.cascadefarm.cli.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of {@code farm bench farm --scale}: one row per batch size, all measured in one run on
 * one farm, each row's farm overhead per job divided by the first row's (the baseline), and the SQL
 * statements the workers sent per job. No figure here is compared with a fixed threshold.
 */
final class ScaleTable {
  /** One batch through the farm: its size, wall time, render time and worker SQL statements. */
  record Row(int jobs, long wallNanos, long renderNanos, long workerStatements) {
    /** (wall x workers - render) / jobs, in seconds. */
    double overheadPerJob(int workers) {
      return (wallNanos / 1e9 * workers - renderNanos / 1e9) / jobs;
    }

    double statementsPerJob() {
      return (double) workerStatements / jobs;
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

  void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%n| %8s | %10s | %14s | %18s | %22s |%n",
        "jobs",
        "wall",
        "overhead/job",
        "ratio to first row",
        "worker SQL stmts/job");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      out.printf(
          Locale.ROOT,
          "| %8d | %8.2f s | %11.1f ms | %18.2f | %22.2f |%n",
          r.jobs(),
          r.wallNanos() / 1e9,
          r.overheadPerJob(workers) * 1000,
          ratio(i),
          r.statementsPerJob());
    }
  }
}
