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
}
