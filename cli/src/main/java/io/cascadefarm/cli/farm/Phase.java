package io.cascadefarm.cli.farm;

import java.io.PrintStream;
import java.util.Locale;

/** Prints {@code "<what>..."} when a startup phase begins and {@code " done in 1.2 s"} after. */
final class Phase {
  private final PrintStream out;
  private long started;

  Phase(PrintStream out) {
    this.out = out;
  }

  void begin(String what) {
    started = System.nanoTime();
    out.println(what + " ...");
    out.flush();
  }

  void done() {
    out.printf(Locale.ROOT, "  done in %.1f s%n", (System.nanoTime() - started) / 1e9);
    out.flush();
  }
}
