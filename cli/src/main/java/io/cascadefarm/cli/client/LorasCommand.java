package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code farm loras upload|list}: LoRA files on the farm ({@code POST /v1/loras}; {@code GET
 * /v1/loras}, the tenant's own LoRAs, comes with the training branch merged from main).
 */
@Command(
    name = "loras",
    mixinStandardHelpOptions = true,
    description = "Uploads and lists LoRAs",
    subcommands = {LorasCommand.Upload.class, LorasCommand.ListLoras.class})
public final class LorasCommand {

  @Command(name = "upload", mixinStandardHelpOptions = true, description = "Uploads a LoRA file")
  public static final class Upload implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Parameters(index = "0", paramLabel = "FILE", description = "A .safetensors LoRA file")
    Path file;

    @Option(names = "--name", required = true, description = "The name jobs use for it")
    String name;

    @Option(names = "--shared", description = "Every tenant may use it by name")
    boolean shared;

    @Override
    public Integer call() throws Exception {
      JsonNode r =
          api.client()
              .post(
                  "/v1/loras?name="
                      + URLEncoder.encode(name, StandardCharsets.UTF_8)
                      + (shared ? "&shared=true" : ""),
                  Files.readAllBytes(file),
                  "application/octet-stream",
                  Map.of());
      spec.commandLine()
          .getOut()
          .printf(
              "%s sha256=%s tensors=%d%n",
              r.path("name").asText(), r.path("sha256").asText(), r.path("tensors").asInt());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists usable LoRAs")
  public static final class ListLoras implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      JsonNode r = api.client().get("/v1/loras");
      for (JsonNode l : r.path("loras")) {
        out.printf("%-40s %s%n", l.path("name").asText(), l.path("sha256").asText());
      }
      return 0;
    }
  }
}
