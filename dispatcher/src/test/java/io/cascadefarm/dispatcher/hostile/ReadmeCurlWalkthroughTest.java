package io.cascadefarm.dispatcher.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.codec.hostile.HostileFiles;
import io.cascadefarm.codec.image.ImageCodec;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.dispatcher.TestApi;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's curl walk-through and its ControlNet/LoRA example, run as written with the real curl
 * (and python3, jq) against a dispatcher: only the host and port are replaced, and the {@code
 * <batch>}/{@code <job>} placeholders with the ids the earlier commands returned. curl is wrapped
 * to report each answer's status on stderr; none may be 5xx, and the upload that used to answer 500
 * (curl's default form Content-Type) must be 201. Skipped where curl, python3 or jq is missing.
 */
class ReadmeCurlWalkthroughTest {
  @TempDir Path work;

  record Run(int exit, String out, List<Integer> statuses) {}

  static boolean has(String tool) {
    try {
      return new ProcessBuilder("bash", "-c", "command -v " + tool).start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  static Path readme() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md"))
          && Files.isRegularFile(p.resolve("docker-compose.yml"))) {
        return p.resolve("README.md");
      }
    }
    throw new IllegalStateException("README.md not found");
  }

  /** The first ```bash block after {@code heading}. */
  static String block(String readme, String heading) {
    int h = readme.indexOf(heading);
    int start = readme.indexOf("```bash\n", h) + "```bash\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  /** Logical commands: continuation lines joined, comments and blank lines dropped. */
  static List<String> commands(String block) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : block.split("\n")) {
      if (cur.length() == 0 && (line.isBlank() || line.trim().startsWith("#"))) {
        continue;
      }
      if (line.endsWith("\\")) {
        cur.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      cur.append(line);
      out.add(cur.toString());
      cur.setLength(0);
    }
    return out;
  }

  Run bash(String script) throws Exception {
    String wrapped =
        "curl() { command curl --max-time 5 -w '%{stderr}HTTP_STATUS %{http_code}\\n' \"$@\"; }\n"
            + script;
    Process p =
        new ProcessBuilder("bash", "-c", wrapped)
            .directory(work.toFile())
            .redirectError(work.resolve("stderr.txt").toFile())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + script);
    List<Integer> statuses = new ArrayList<>();
    Matcher m =
        Pattern.compile("HTTP_STATUS (\\d+)").matcher(Files.readString(work.resolve("stderr.txt")));
    while (m.find()) {
      statuses.add(Integer.parseInt(m.group(1)));
    }
    return new Run(p.exitValue(), out, statuses);
  }

  @Test
  void theWalkthroughRunsAsWritten() throws Exception {
    Assumptions.assumeTrue(has("curl") && has("python3") && has("jq"), "curl, python3, jq");
    String readme = Files.readString(readme());
    BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
    img.setRGB(5, 5, 0xffffff);
    Files.write(work.resolve("photo.png"), ImageCodec.encodePng(img));
    Files.write(work.resolve("mask.png"), ImageCodec.encodePng(img));
    Files.write(work.resolve("style.safetensors"), HostileFiles.lora(null));
    Files.writeString(work.resolve("jobs.ndjson"), "{\"prompt\":\"a\"}\n\n{\"prompt\":\"b\"}\n");
    try (TestApi api = new TestApi()) {
      String host = "127.0.0.1:" + api.dispatcher.port();
      String batch = null;
      String job = null;
      List<String> cmds = commands(block(readme, "## curl walk-through"));
      Matcher nd = Pattern.compile("NDJSON works too: `(curl [^`]+)`").matcher(readme);
      assertTrue(nd.find(), "the NDJSON example");
      cmds.add(nd.group(1));
      assertTrue(cmds.size() >= 12, cmds.toString());
      for (String c : cmds) {
        if ((c.contains("<batch>") && batch == null) || (c.contains("<job>") && job == null)) {
          throw new AssertionError("no id yet for " + c);
        }
        String cmd = c.replace("localhost:8080", host);
        cmd = batch == null ? cmd : cmd.replace("<batch>", batch);
        cmd = job == null ? cmd : cmd.replace("<job>", job);
        Run r = bash(cmd);
        assertFalse(r.statuses().isEmpty(), "no answer to " + c);
        for (int s : r.statuses()) {
          assertTrue(s > 0 && s < 500, s + " from `" + c + "`: " + r.out());
        }
        if (c.contains("/v1/uploads")) {
          assertEquals(List.of(201), r.statuses(), c + ": " + r.out());
          assertTrue(r.out().contains("\"image\":\"uploads/"), r.out());
        }
        if (c.contains("/v1/jobs -H") && job == null) {
          assertEquals(List.of(202), r.statuses(), r.out());
          job = Json.mapper().readTree(r.out().trim()).path("id").asText();
        }
        if (c.contains("/v1/batches -H") && batch == null) {
          assertEquals(List.of(202), r.statuses(), r.out());
          batch = Json.mapper().readTree(r.out().trim()).path("id").asText();
          assertEquals(50, Json.mapper().readTree(r.out().trim()).path("job_count").asInt());
        }
      }
      // the ControlNet and LoRA example depends on shell state: one script, as written
      String lora = block(readme, "### ControlNet and LoRA jobs").replace("localhost:8080", host);
      Run r = bash(lora);
      assertEquals(9, r.statuses().size(), r.statuses() + " " + r.out()); // 3 uploads, 6 jobs
      for (int s : r.statuses()) {
        assertTrue(s >= 200 && s < 300, "status " + r.statuses() + ": " + r.out());
      }
      assertTrue(new File(work.toFile(), "cat.png").exists());
    }
  }
}
