package io.cascadefarm.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.cascadefarm.cli.hub.FileRef;
import io.cascadefarm.cli.hub.VariantFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm models pull/list/verify} end to end against a local HTTP hub. */
class ModelsCommandTest {
  @TempDir Path dir;
  HttpServer server;
  final Map<String, byte[]> files = new LinkedHashMap<>();
  volatile String token;

  @BeforeEach
  void start() throws Exception {
    int i = 0;
    for (FileRef f : VariantFiles.files("lite", "bf16")) {
      files.put(
          f.repo() + "/" + f.path(),
          ("content of " + f + " " + i++).getBytes(StandardCharsets.UTF_8));
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            String p = ex.getRequestURI().getPath();
            byte[] body;
            int status = 200;
            if (token != null
                && !("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
              status = 401;
              body = "{}".getBytes(StandardCharsets.UTF_8);
            } else if (p.startsWith("/api/models/")) {
              body =
                  metadata(p.substring(12, p.indexOf("/revision/")))
                      .getBytes(StandardCharsets.UTF_8);
            } else {
              body = files.get(p.substring(1).replace("/resolve/main/", "/"));
              if (body == null) {
                status = 404;
                body = new byte[0];
              }
            }
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
              ex.getResponseBody().write(body);
            }
          }
        });
    server.start();
  }

  String metadata(String repo) {
    StringBuilder s = new StringBuilder("{\"sha\":\"abc\",\"siblings\":[");
    String sep = "";
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      if (e.getKey().startsWith(repo + "/")) {
        s.append(sep)
            .append("{\"rfilename\":\"")
            .append(e.getKey().substring(repo.length() + 1))
            .append("\",\"size\":")
            .append(e.getValue().length)
            .append(",\"lfs\":{\"sha256\":\"")
            .append(sha256(e.getValue()))
            .append("\",\"size\":")
            .append(e.getValue().length)
            .append("}}");
        sep = ",";
      }
    }
    return s.append("]}").toString();
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code farm models pull --variant lite} into {@link #dir} from the local hub. */
  Farm pullLite(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "models",
                "pull",
                "--variant",
                "lite",
                "--models-dir",
                dir.toString(),
                "--endpoint",
                endpoint()));
    args.addAll(List.of(extra));
    return Farm.run(args.toArray(String[]::new));
  }

  @Test
  void pullListAndVerify() throws Exception {
    Farm pull = pullLite();
    assertEquals(0, pull.exitCode(), pull.out() + pull.err());
    assertTrue(pull.out().contains("done: 9 file(s) downloaded"), pull.out());
    Path stageC = dir.resolve("stable-cascade/stage_c_lite_bf16.safetensors");
    assertTrue(Files.isRegularFile(stageC));

    Farm list = Farm.run("models", "list", "--models-dir", dir.toString());
    assertEquals(0, list.exitCode());
    assertTrue(list.out().contains("lite  bf16  complete"), list.out());
    assertTrue(list.out().contains("big   bf16  missing 2 of 9"), list.out());

    // the downloaded "checkpoints" are not safetensors: verify must say so (keys), hashes are fine
    Farm verify = Farm.run("models", "verify", "--models-dir", dir.toString());
    assertEquals(1, verify.exitCode(), verify.out());
    assertTrue(
        verify.out().contains("FAIL stabilityai/stable-cascade/stage_c_lite_bf16.safetensors"),
        verify.out());
    assertTrue(
        verify.out().contains("OK   stabilityai/stable-cascade/tokenizer/merges.txt"),
        verify.out());

    Files.write(
        dir.resolve("stable-cascade/tokenizer/merges.txt"),
        "tampered".getBytes(StandardCharsets.UTF_8));
    Farm tampered = Farm.run("models", "verify", "--models-dir", dir.toString());
    assertTrue(tampered.out().contains("size 8 != hub size"), tampered.out());
  }

  @Test
  void gatedRepoNeedsAToken() {
    token = "hf_x";
    Farm denied = pullLite();
    assertEquals(1, denied.exitCode());
    assertTrue(denied.err().contains("HTTP 401"), denied.err());
    assertTrue(denied.err().contains("Accept the licence"), denied.err());
    Farm ok = pullLite("--token", "hf_x");
    assertEquals(0, ok.exitCode(), ok.err());
  }

  @Test
  void verifyOnAnEmptyDirectorySaysWhatToDo() {
    Farm verify = Farm.run("models", "verify", "--models-dir", dir.toString());
    assertEquals(1, verify.exitCode());
    assertTrue(verify.out().contains("farm models pull --variant lite"), verify.out());
  }
}
