package io.cascadefarm.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScaleTableTest {
  @Test
  void eachRowIsComparedWithTheFirstRowOfTheSameRun() {
    ScaleTable t = new ScaleTable(2);
    // 50 jobs: 2 s wall on 2 workers, 3 s render -> (4 - 3) / 50 = 20 ms per job
    t.add(new ScaleTable.Row(50, 2_000_000_000L, 3_000_000_000L, 150));
    // 500 jobs: 15 s wall on 2 workers, 18 s render -> (30 - 18) / 500 = 24 ms per job
    t.add(new ScaleTable.Row(500, 15_000_000_000L, 18_000_000_000L, 1_400));
    assertEquals(1.0, t.ratio(0), 1e-12);
    assertEquals(1.2, t.ratio(1), 1e-9);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("20.0 ms"), table);
    assertTrue(table.contains("24.0 ms"), table);
    assertTrue(table.contains("1.20"), table);
    assertTrue(table.contains("3.00"), table); // 150 statements / 50 jobs
    assertTrue(table.contains("2.80"), table); // 1400 / 500
  }

  @Test
  void theMarginalOverheadCancelsTheFixedCostsAndSqlIsSplitByOperation() {
    ScaleTable t = new ScaleTable(1);
    // a fixed 1 s per batch plus 10 ms per job: totals 30 ms/job at 50 jobs, 12 ms/job at 500
    t.add(row(50, 1.5, 0, 10, 5, 20, 2));
    t.add(row(500, 6.0, 0, 125, 250, 125, 30));
    t.add(row(2000, 21.0, 0, 500, 1000, 500, 100));
    assertEquals(0.010, t.marginal(1), 1e-12);
    assertEquals(0.010, t.marginal(2), 1e-12);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("30.0 ms"), table);
    assertTrue(table.contains("10.5 ms"), table); // total at 2000: 21 s / 2000
    assertTrue(table.contains("10.0 ms"), table); // marginal
    // 2000 jobs: claim 0.25, progress 0.50, complete 0.25 -> 1.00 per job; rest 0.05
    assertTrue(table.contains("|  0.25 |     0.50 |     0.25 |     1.00 |  0.05 |  1.05 |"), table);
  }

  private static ScaleTable.Row row(
      int jobs,
      double wallSeconds,
      double renderSeconds,
      long claim,
      long sync,
      long succeed,
      long heartbeat) {
    var counts =
        new io.cascadefarm.db.StatementCounter.Counts(
            claim + sync + succeed + heartbeat,
            0,
            0,
            java.util.Map.of(
                "claim", claim, "sync", sync, "succeed", succeed, "heartbeat", heartbeat));
    return new ScaleTable.Row(
        jobs, (long) (wallSeconds * 1e9), (long) (renderSeconds * 1e9), counts);
  }
}
