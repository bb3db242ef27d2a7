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
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farm download --batch ID --out DIR}: the batch's {@code results.jsonl} (streamed to disk
 * first), then every image it lists into {@code DIR/images/<index>-<job>-<n>.png}. Resumable: an
 * image already on disk that is a whole PNG (signature and IEND trailer) is kept; a partial one is
 * fetched again. Files are written to a temporary name and moved into place.
 */
@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    description = "Downloads a batch's results.jsonl and images (resumable)")
public final class DownloadCommand implements Callable<Integer> {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final byte[] IEND = {
    0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82
  };

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
    long done = 0;
    try (BufferedReader r = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        JsonNode j = Json.mapper().readTree(line);
        JsonNode images = j.path("images");
        for (int n = 0; n < images.size(); n++) {
          String url = images.get(n).path("url").asText(null);
          Path file =
              out.resolve(
                  String.format(
                      "images/%06d-%s-%d.png", j.path("index").asInt(), j.path("id").asText(), n));
          if (isWholePng(file)) {
            kept++;
          } else if (url == null) {
            missing++;
          } else {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            byte[] bytes = client.fetch(url);
            Files.write(tmp, bytes);
            if (!isWholePng(tmp)) {
              Files.deleteIfExists(tmp);
              throw new IOException(
                  "image " + n + " of job " + j.path("id").asText() + " is not a whole PNG");
            }
            Files.move(
                tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            fetched++;
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
    return missing == 0 ? 0 : 1;
  }

  private static String bar(long done, long total) {
    int width = 30;
    int full = total == 0 ? width : (int) (width * done / total);
    return "[" + "#".repeat(full) + " ".repeat(width - full) + "]";
  }

  /** Whether {@code f} exists and starts with the PNG signature and ends with the IEND chunk. */
  static boolean isWholePng(Path f) throws IOException {
    if (!Files.isRegularFile(f) || Files.size(f) < PNG.length + IEND.length) {
      return false;
    }
    try (var ch = Files.newByteChannel(f)) {
      var head = java.nio.ByteBuffer.allocate(PNG.length);
      ch.read(head);
      ch.position(ch.size() - IEND.length);
      var tail = java.nio.ByteBuffer.allocate(IEND.length);
      ch.read(tail);
      return Arrays.equals(head.array(), PNG) && Arrays.equals(tail.array(), IEND);
    }
  }
}
