package io.cascadefarm.cli.net;

import io.cascadefarm.cascade.nn.NetworkCatalog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farm net keys}: prints {@code key<TAB>[shape]} for every parameter and buffer a network
 * declares at an official config, in state_dict order, without allocating weights.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = {
      "Prints key<TAB>[shape] for every parameter the port declares (no weights allocated).",
      "Networks: stage_c|stage_b (big|lite), stage_a, effnet, previewer,",
      "controlnet (canny|inpainting|super_resolution), clip_text, clip_vision."
    })
public final class NetKeysCommand implements Callable<Integer> {
  @Option(names = "--network", required = true, description = "Network name")
  String network;

  @Option(names = "--variant", description = "Variant (default: the network's first)")
  String variant;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter w = spec.commandLine().getOut();
    NetworkCatalog.printKeys(network, variant, w);
    w.flush();
    return 0;
  }
}
