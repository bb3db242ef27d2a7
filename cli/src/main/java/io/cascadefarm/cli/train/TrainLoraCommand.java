package io.cascadefarm.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cli.client.ApiClient;
import io.cascadefarm.cli.client.ApiOptions;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code farm train lora NAME DATASET}: uploads a dataset (a folder of {@code NNN.png} + {@code
 * NNN.txt}, uploaded image by image, or a zip/tar archive, uploaded with {@code POST /v1/datasets})
 * and submits a {@code train_lora} job; prints the job id, or with {@code --watch} follows it and
 * prints step, loss and learning rate until it is final.
 */
@Command(
    name = "lora",
    mixinStandardHelpOptions = true,
    description =
        "Trains a LoRA named NAME on DATASET (a folder of NNN.png + NNN.txt, or a .zip/.tar of"
            + " them) as a train_lora job; prints the job id.")
public final class TrainLoraCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;

  @Parameters(index = "0", description = "Name the LoRA is registered under")
  String name;

  @Parameters(index = "1", description = "Folder of NNN.png + NNN.txt, or a .zip / .tar of them")
  Path dataset;

  @Option(names = "--model", description = "tiny, lite or big (default: ${DEFAULT-VALUE})")
  String model = "lite";

  @Option(names = "--steps", description = "Optimizer updates (default: the farm's, 10000)")
  Integer steps;

  @Option(names = "--rank", description = "LoRA rank (default 4)")
  Integer rank;

  @Option(
      names = "--module-filter",
      description = "Stage C module-name filter (repeatable; default .attn)")
  List<String> moduleFilters;

  @Option(
      names = "--token",
      description =
          "train_tokens entry TOKEN or TOKEN=REGEX, e.g. '[fernando]=^dog</w>' (repeatable)")
  List<String> tokens;

  @Option(names = "--lr", description = "Learning rate (default 1e-4)")
  Double lr;

  @Option(names = "--batch-size", description = "Images per update (default 32)")
  Integer batchSize;

  @Option(names = "--grad-accum-steps", description = "Iterations per update (default 4)")
  Integer gradAccum;

  @Option(names = "--warmup-updates", description = "Warm-up updates (default 1)")
  Integer warmup;

  @Option(names = "--save-every", description = "Checkpoint every N updates (default 100)")
  Integer saveEvery;

  @Option(names = "--image-size", description = "Bucket pixel density side (default 768)")
  Integer imageSize;

  @Option(names = "--seed", description = "Seed of the data order, noise and LoRA init")
  Long seed;

  @Option(names = "--watch", description = "Follow the job until it is final")
  boolean watch;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ApiClient c = api.client();
    ObjectNode job = Json.mapper().createObjectNode();
    job.put("kind", "train_lora").put("model", model).put("lora_name", name);
    job.set("dataset", upload(c, dataset));
    putIf(job, "steps", steps);
    putIf(job, "rank", rank);
    putIf(job, "batch_size", batchSize);
    putIf(job, "grad_accum_steps", gradAccum);
    putIf(job, "warmup_updates", warmup);
    putIf(job, "save_every", saveEvery);
    putIf(job, "image_size", imageSize);
    if (lr != null) {
      job.put("lr", lr);
    }
    if (seed != null) {
      job.put("seed", seed);
    }
    if (moduleFilters != null) {
      ArrayNode a = job.putArray("module_filters");
      moduleFilters.forEach(a::add);
    }
    if (tokens != null) {
      ArrayNode a = job.putArray("train_tokens");
      for (String t : tokens) {
        int eq = t.indexOf('=');
        ArrayNode pair = a.addArray().add(eq < 0 ? t : t.substring(0, eq));
        if (eq < 0) {
          pair.addNull();
        } else {
          pair.add(t.substring(eq + 1));
        }
      }
    }
    String id = c.postJson("/v1/jobs", job).path("id").asText();
    out.println(id);
    out.flush();
    if (!watch) {
      return 0;
    }
    return TrainWatch.follow(c, id, out);
  }

  static void putIf(ObjectNode n, String key, Integer v) {
    if (v != null) {
      n.put(key, v);
    }
  }

  /** The dataset field: an archive is uploaded whole, a folder image by image. */
  static ObjectNode upload(ApiClient c, Path dataset) throws IOException {
    ObjectNode d = Json.mapper().createObjectNode();
    if (Files.isRegularFile(dataset)) {
      JsonNode r =
          c.post("/v1/datasets", Files.readAllBytes(dataset), "application/octet-stream", Map.of());
      d.put("archive", r.path("archive").asText());
      return d;
    }
    if (!Files.isDirectory(dataset)) {
      throw new IllegalArgumentException(dataset + " is neither a folder nor an archive");
    }
    List<Path> images = new ArrayList<>();
    try (Stream<Path> s = Files.list(dataset)) {
      s.filter(
              p ->
                  p.getFileName()
                      .toString()
                      .toLowerCase(Locale.ROOT)
                      .matches(".*\\.(png|jpe?g|webp)"))
          .sorted()
          .forEach(images::add);
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException(dataset + " holds no NNN.png / .jpg / .webp images");
    }
    ArrayNode a = d.putArray("images");
    for (Path img : images) {
      String file = img.getFileName().toString();
      Path txt = img.resolveSibling(file.substring(0, file.lastIndexOf('.')) + ".txt");
      String caption =
          Files.isRegularFile(txt) ? Files.readString(txt, StandardCharsets.UTF_8).strip() : "";
      String key =
          c.post("/v1/uploads", Files.readAllBytes(img), "application/octet-stream", Map.of())
              .path("image")
              .asText();
      a.addObject().put("image", key).put("caption", caption);
    }
    return d;
  }
}
