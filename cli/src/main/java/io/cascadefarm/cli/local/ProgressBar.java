package io.cascadefarm.cli.local;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn with {@code \r}: {@code label [#####.....] 5/10 3.2 s}. A new
 * line starts when the label changes or the bar completes.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private String label;
  private long labelStart;
  private boolean open;

  public ProgressBar(PrintStream out) {
    this.out = out;
  }

  /** Draws {@code done} of {@code total} (units are shown as given, e.g. steps or MiB). */
  public synchronized void update(String newLabel, long done, long total, String unit) {
    if (!newLabel.equals(label)) {
      finishLine();
      label = newLabel;
      labelStart = System.nanoTime();
    }
    int filled = total <= 0 ? 0 : (int) Math.min(WIDTH, WIDTH * done / total);
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    double secs = (System.nanoTime() - labelStart) / 1e9;
    out.print(
        String.format(
            Locale.ROOT, "\r%-10s [%s] %d/%d%s  %.1f s ", label, bar, done, total, unit, secs));
    out.flush();
    open = true;
    if (total > 0 && done >= total) {
      finishLine();
    }
  }

  /** Ends the current line if one is open. */
  public synchronized void finishLine() {
    if (open) {
      out.println();
      open = false;
    }
  }
}
