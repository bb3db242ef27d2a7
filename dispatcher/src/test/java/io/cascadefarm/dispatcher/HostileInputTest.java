package io.cascadefarm.dispatcher;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sends well over 1,000 generated malformed or hostile requests and checks that none is answered
 * 5xx and that every 4xx body is the JSON error shape naming at least one field.
 */
class HostileInputTest {
  static TestApi api;
  final HostileAnswers answers = new HostileAnswers();

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  void check(String what, TestApi.Answer a) {
    answers.check(what, a.status(), a.raw().body());
  }

  void post(String what, String path, byte[] body, String... headers) {
    check(what, api.send("POST", path, body, headers));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void nothingAnswers5xxAndEveryRejectionNamesAField() throws Exception {
    for (String field : JobBodyFields.ALL) {
      for (String bad : HostileAnswers.BAD_VALUES) {
        String job = "{\"prompt\":\"p\",\"" + field + "\":" + bad + "}";
        post("job " + job, "/v1/jobs", utf8(job));
        post(
            "batch " + job,
            "/v1/batches",
            utf8("{\"defaults\":{\"model\":\"tiny\"},\"jobs\":[{\"prompt\":\"ok\"}," + job + "]}"));
        post(
            "ndjson " + job,
            "/v1/batches",
            utf8("{\"prompt\":\"ok\"}\n" + job + "\n"),
            "Content-Type",
            "application/x-ndjson");
        post("defaults " + job, "/v1/batches", utf8("{\"defaults\":" + job + ",\"jobs\":[{}]}"));
      }
    }
    String valid =
        "{\"prompt\":\"a red fox\",\"width\":512,\"height\":512,\"prior\":{\"steps\":20},\"metadata\":{\"k\":[1,2]}}";
    for (int i = 0; i < valid.length(); i++) {
      post("truncated at " + i, "/v1/jobs", utf8(valid.substring(0, i)));
      post(
          "truncated ndjson at " + i,
          "/v1/batches",
          utf8(valid.substring(0, i) + "\n" + valid),
          "Content-Type",
          "application/x-ndjson");
    }
    for (byte[] bad : invalidUtf8()) {
      post("invalid utf-8", "/v1/jobs", bad);
      post("invalid utf-8 batch", "/v1/batches", bad);
    }
    for (int depth : new int[] {33, 64, 1000, 100_000}) {
      String deep =
          "{\"prompt\":\"x\",\"metadata\":"
              + "{\"a\":".repeat(depth)
              + "1"
              + "}".repeat(depth)
              + "}";
      post("nested " + depth, "/v1/jobs", utf8(deep));
      String arrays = "[".repeat(depth) + "]".repeat(depth);
      post("nested arrays " + depth, "/v1/batches", utf8(arrays));
    }
    String tenMb = "x".repeat(10 * 1024 * 1024);
    post("10 MB prompt", "/v1/jobs", utf8("{\"prompt\":\"" + tenMb + "\"}"));
    post(
        "10 MB negative prompt in batch",
        "/v1/batches",
        utf8("{\"jobs\":[{\"prompt\":\"a\",\"negative_prompt\":\"" + tenMb + "\"}]}"));
    post("5k prompt", "/v1/jobs", utf8("{\"prompt\":\"" + "y".repeat(5000) + "\"}"));
    for (String top :
        new String[] {
          "[]",
          "1",
          "\"x\"",
          "null",
          "true",
          "{} {}",
          "{\"prompt\":\"a\"} x",
          "{\"prompt\":\"a\",\"prompt\":\"b\"}",
          "\uFEFF{\"prompt\":\"a\"}",
          "{'prompt':'a'}",
          "{\"prompt\":NaN}",
          "{\"width\":Infinity}",
          "/*c*/{}",
          "{\"prompt\":\"a\",}",
          "{\"jobs\":{}}",
          "{\"jobs\":[1,2,3]}",
          "{\"jobs\":null}",
          "{\"jobs\":\"all\"}",
          "{\"defaults\":[],\"jobs\":[{}]}",
          "{\"extra\":1,\"jobs\":[{\"prompt\":\"a\"}]}",
          "{\"width\":" + "9".repeat(70) + "}",
          "{\"seed\":-" + "9".repeat(30) + "}",
          "{\"images\":1.0e2}",
          "{\"prompt\":\"a\",\"loras\":[" + "{\"name\":\"l\"},".repeat(20) + "{\"name\":\"l\"}]}"
        }) {
      post("top " + top, "/v1/jobs", utf8(top));
      post("batch top " + top, "/v1/batches", utf8(top));
      post("ndjson top " + top, "/v1/batches", utf8(top), "Content-Type", "application/x-ndjson");
    }
    post("utf-16 body", "/v1/jobs", "{\"prompt\":\"a\"}".getBytes(StandardCharsets.UTF_16));
    Random rnd = new Random(42);
    for (int i = 0; i < 60; i++) {
      byte[] junk = new byte[1 + rnd.nextInt(2000)];
      rnd.nextBytes(junk);
      post("random bytes " + i, "/v1/jobs", junk);
      post("random upload " + i, "/v1/uploads", junk);
      if (i % 3 == 0) {
        byte[] fakePng = junk.clone();
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
        System.arraycopy(magic, 0, fakePng, 0, Math.min(magic.length, fakePng.length));
        post("fake png " + i, "/v1/uploads", fakePng);
        byte[] fakeJpeg = junk.clone();
        fakeJpeg[0] = (byte) 0xff;
        if (fakeJpeg.length > 2) {
          fakeJpeg[1] = (byte) 0xd8;
          fakeJpeg[2] = (byte) 0xff;
        }
        post("fake jpeg " + i, "/v1/uploads", fakeJpeg);
      }
    }
    for (int[] d :
        new int[][] {
          {100_000, 100_000}, {1, 1_000_000}, {0, 10}, {-5, 5}, {8193, 8}, {7000, 7000}
        }) {
      post("bomb " + d[0] + "x" + d[1], "/v1/uploads", UploadRoutesTest.pngHeader(d[0], d[1]));
    }
    for (String id :
        new String[] {
          "x",
          "..",
          "..%2F..%2Fetc%2Fpasswd",
          "%00",
          "00000000-0000-0000-0000-00000000000",
          UUID.randomUUID().toString(),
          "1-1-1-1-1",
          "'%20OR%201=1",
          "%E2%80%AE",
          "A".repeat(300)
        }) {
      for (String p :
          new String[] {
            "/v1/jobs/%s", "/v1/jobs/%s/image", "/v1/batches/%s", "/v1/batches/%s/jobs"
          }) {
        check("GET " + p + " " + id, api.get(String.format(p, id)));
      }
      for (String p :
          new String[] {
            "/v1/jobs/%s/cancel",
            "/v1/jobs/%s/retry",
            "/v1/batches/%s/cancel",
            "/v1/batches/%s/retry"
          }) {
        post("POST " + p + " " + id, String.format(p, id), null);
      }
      check("events job " + id, api.get("/v1/events?job=" + id));
      check("events batch " + id, api.get("/v1/events?batch=" + id));
    }
    String batch =
        api.post("/v1/batches", "{\"jobs\":[{\"prompt\":\"a\"}]}").json().path("id").asText();
    for (String q :
        new String[] {
          "limit=-1",
          "limit=1e9",
          "limit=99999999999999",
          "limit=abc",
          "status=%3Cscript%3E",
          "status=",
          "after=..",
          "after=" + UUID.randomUUID(),
          "limit=0",
          "limit=1001",
          "status=QUEUED",
          "after=%00"
        }) {
      check("list " + q, api.get("/v1/batches/" + batch + "/jobs?" + q));
    }
    for (String q : new String[] {"partial=yes", "partial=1", "include_cancelled=2"}) {
      post("flag " + q, "/v1/batches?" + q, utf8("{\"jobs\":[{\"prompt\":\"a\"}]}"));
      post("flag retry " + q, "/v1/batches/" + batch + "/retry?" + q, null);
    }
    for (String key : new String[] {"", "k".repeat(300), "k y"}) {
      post(
          "idempotency key '" + key.length() + "'",
          "/v1/jobs",
          utf8("{\"prompt\":\"a\"}"),
          "Idempotency-Key",
          key.isEmpty() ? " " : key);
    }
    for (String m : new String[] {"PUT", "DELETE", "PATCH"}) {
      check(m + " /v1/jobs", api.send(m, "/v1/jobs", utf8("{}")));
      check(m + " /v1/uploads", api.send(m, "/v1/uploads", utf8("{}")));
    }
    answers.assertAllGood(1000);
  }

  static List<byte[]> invalidUtf8() {
    List<byte[]> out = new ArrayList<>();
    byte[][] seqs = {
      {(byte) 0xff},
      {(byte) 0xc3},
      {(byte) 0xe2, (byte) 0x28, (byte) 0xa1},
      {(byte) 0xf0, (byte) 0x28, (byte) 0x8c, (byte) 0x28},
      {(byte) 0xc0, (byte) 0xaf},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0x80}
    };
    for (byte[] s : seqs) {
      for (String where : new String[] {"prompt", "key"}) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (where.equals("prompt")) {
          b.writeBytes(utf8("{\"prompt\":\"a"));
          b.writeBytes(s);
          b.writeBytes(utf8("b\"}"));
        } else {
          b.writeBytes(utf8("{\"pr"));
          b.writeBytes(s);
          b.writeBytes(utf8("\":\"a\"}"));
        }
        out.add(b.toByteArray());
      }
    }
    return out;
  }
}
