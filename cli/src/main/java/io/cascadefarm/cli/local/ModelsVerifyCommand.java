package io.cascadefarm.cli.local;

import io.cascadefarm.cli.hub.ModelInventory;
import io.cascadefarm.cli.hub.ModelVerifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farm models verify}: presence, size and SHA-256 (against the metadata cached by pull) and
 * key compatibility of every checkpoint (safetensors header vs network declarations, no weights
 * loaded). Exit 1 when any file has a problem or nothing is present.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Checks every present model file: size and SHA-256 against the hub metadata cached by",
      "pull, and checkpoint keys/shapes against the networks (header only). Exit 1 on problems."
    })
public final class ModelsVerifyCommand implements Callable<Integer> {
  @Option(
      names = "--models-dir",
      description = "Model directory (default: $FARM_MODELS_DIR or ./models)")
  Path modelsDir;

  @Option(names = "--no-hash", description = "Skip SHA-256 (reading every byte of multi-GB files)")
  boolean noHash;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path dir = ModelsDir.resolve(modelsDir);
    PrintWriter w = spec.commandLine().getOut();
    List<ModelVerifier.Result> results = ModelVerifier.verify(dir, !noHash);
    if (results.isEmpty()) {
      w.println(
          "no model files in " + dir.toAbsolutePath() + "; run: farm models pull --variant lite");
      w.flush();
      return 1;
    }
    int bad = 0;
    for (ModelVerifier.Result r : results) {
      w.printf("%-4s %s%n", r.ok() ? "OK" : "FAIL", r.ref());
      r.problems().forEach(p -> w.println("     problem: " + p));
      r.notes().forEach(n -> w.println("     note: " + n));
      bad += r.ok() ? 0 : 1;
    }
    for (ModelInventory.Entry e : ModelInventory.scan(dir)) {
      if (e.complete()) {
        w.printf("variant %s (%s): all files present%n", e.variant(), e.dtype());
      }
    }
    w.println(bad == 0 ? "all " + results.size() + " file(s) OK" : bad + " file(s) with problems");
    w.flush();
    return bad == 0 ? 0 : 1;
  }
}
