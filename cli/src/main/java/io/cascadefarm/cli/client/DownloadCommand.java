package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farm download --batch ID --out DIR}: the batch's {@code results.jsonl} (streamed to disk
 * first), then every image it lists into {@code DIR/images/<index>-<job>-<n>.png}. Every image is
 * checked ({@link ImageIntegrity}): against the length and SHA-256 its line gives, or, for a job
 * finished before workers recorded them, for being a whole PNG. Resumable: an image already on disk
 * that passes is kept; a partial or corrupt one is fetched again. A fetched image that fails is
 * fetched once more, then reported as an error naming the file and the expected and actual values
 * (exit 1). Files are written to a temporary name and moved into place.
 */
@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    description = "Downloads a batch's results.jsonl and images (resumable, verified)")
public final class DownloadCommand implements Callable<Integer> {
  /** Downloads of one image before a mismatch is reported: the first and one re-fetch. */
  private static final int TRIES = 2;

  @Spec CommandSpec spec;
  @Mixin ApiOptions api;

  @Option(names = "--batch", required = true, description = "The batch id")
  String batch;

  @Option(names = "--out", required = true, description = "Directory to write into")
  Path out;

  @Override
  public Integer call() throws IOException {
    ApiClient client = api.client();
    PrintWriter err = spec.commandLine().getErr();
    Files.createDirectories(out.resolve("images"));
    Path part = out.resolve("results.jsonl.part");
    try (InputStream in = client.stream("/v1/batches/" + batch + "/results.jsonl")) {
      Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
    }
    long lines;
    try (var s = Files.lines(part)) {
      lines = s.count();
    }
    int fetched = 0;
    int kept = 0;
    int missing = 0;
    List<String> errors = new ArrayList<>();
    long done = 0;
    try (BufferedReader r = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        JsonNode j = Json.mapper().readTree(line);
        JsonNode images = j.path("images");
        for (int n = 0; n < images.size(); n++) {
          String url = images.get(n).path("url").asText(null);
          ImageIntegrity expected = ImageIntegrity.of(images.get(n));
          String name =
              String.format(
                  "images/%06d-%s-%d.png", j.path("index").asInt(), j.path("id").asText(), n);
          Path file = out.resolve(name);
          if (expected.mismatch(file) == null) {
            kept++;
          } else if (url == null) {
            missing++;
          } else {
            String problem = fetch(client, url, file, expected);
            if (problem == null) {
              fetched++;
            } else {
              errors.add(name + ": " + problem + " (fetched " + TRIES + " times)");
            }
          }
        }
        done++;
        err.printf("\r%s %d/%d jobs", bar(done, lines), done, lines);
        err.flush();
      }
    }
    Files.move(part, out.resolve("results.jsonl"), StandardCopyOption.REPLACE_EXISTING);
    err.printf(
        "%n%d image(s) downloaded, %d already there, %d without a URL (expired); results.jsonl in %s%n",
        fetched, kept, missing, out);
    for (String e : errors) {
      err.printf("error: %s%n", e);
    }
    if (!errors.isEmpty()) {
      err.printf("%d image(s) failed verification%n", errors.size());
    }
    return missing == 0 && errors.isEmpty() ? 0 : 1;
  }

  /**
   * Fetches {@code url} into {@code file} (through a temporary file) until it passes {@code
   * expected}, at most {@link #TRIES} times; null when it did, else the last mismatch (the file is
   * then left as it was).
   */
  private static String fetch(ApiClient client, String url, Path file, ImageIntegrity expected)
      throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    String problem = null;
    for (int t = 0; t < TRIES; t++) {
      Files.write(tmp, client.fetch(url));
      problem = expected.mismatch(tmp);
      if (problem == null) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return null;
      }
    }
    Files.deleteIfExists(tmp);
    return problem;
  }

  private static String bar(long done, long total) {
    int width = 30;
    int full = total == 0 ? width : (int) (width * done / total);
    return "[" + "#".repeat(full) + " ".repeat(width - full) + "]";
  }
}
