package io.cascadefarm.cascade.tools.bench;

import java.io.PrintStream;
import java.util.List;

/** Formats {@link BenchResult}s as a Markdown table (the one in docs/performance.md). */
public final class BenchTable {
  private BenchTable() {}

  public static final String HEADER =
      "| case | shape (BxHxW latent) | params | load s | ms/fwd median (min) | ATen ops"
          + " top-level / all | MB allocated per fwd | peak live arrays / seen | live after"
          + " | peak RSS GB | minor faults per fwd | held between fwds MB |";

  public static void print(PrintStream out, List<BenchResult> results) {
    out.println(HEADER);
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    results.forEach(r -> out.println(row(r)));
  }

  public static String row(BenchResult r) {
    BenchCase c = r.benchCase();
    return String.format(
        "| %s | %s | %s | %.1f | %.1f (%.1f) | %d / %d | %.0f | %d / %d | %d | %.2f | %d | %.0f |",
        c.name(),
        c.describe(),
        params(r.parameters()),
        r.loadMillis() / 1000.0,
        r.medianMillis(),
        r.minMillis(),
        r.topLevelOps(),
        r.ops(),
        r.allocatedBytes() / 1048576.0,
        r.peakLiveArrays(),
        r.distinctArrays(),
        r.liveAfter(),
        r.peakRss() / 1073741824.0,
        r.faultsPerForward(),
        r.heldBytes() / 1048576.0);
  }

  static String params(long n) {
    if (n >= 1_000_000_000) {
      return String.format("%.2fB", n / 1e9);
    }
    if (n >= 1_000_000) {
      return String.format("%.1fM", n / 1e6);
    }
    return String.format("%.0fk", n / 1e3);
  }
}
