package io.cascadefarm.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cli.Farm;
import io.cascadefarm.cli.client.ApiClient;
import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.embedded.TestServices;
import io.cascadefarm.infra.s3.S3ObjectStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm train lora} and {@code farm train finetune --stage c|b} against a dispatcher on the
 * real embedded services with authentication on and {@code farm.training.finetune-enabled}: the
 * stored job carries exactly the flags given and the uploaded dataset; bad input exits non-zero
 * naming the flag or field. No worker runs, so the jobs stay queued.
 */
class TrainCommandsTest {
  @TempDir static Path dir;
  static Path props;
  static Dispatcher dispatcher;
  static S3ObjectStore objects;
  static String api;
  static String tenant = "train-" + UUID.randomUUID().toString().substring(0, 8);
  static String admin;
  static String plain;
  static Path dataset;

  @BeforeAll
  static void start() throws Exception {
    Properties p = new Properties();
    p.putAll(TestServices.endpoints().toProperties());
    p.put("farm.kafka.topic-prefix", "train-" + UUID.randomUUID().toString().substring(0, 8));
    p.put("farm.kafka.job-partitions", "1");
    p.put("farm.http.host", "127.0.0.1");
    p.put("farm.http.port", "0");
    p.put("farm.auth.enabled", "true");
    p.put("farm.auth.key-cache-ttl", "0s");
    p.put("farm.training.finetune-enabled", "true");
    props = dir.resolve("farm.properties");
    try (Writer w = Files.newBufferedWriter(props)) {
      p.store(w, null);
    }
    DispatcherConfig c = DispatcherConfig.from(ConfigSource.load(props, Map.of()));
    dispatcher = Dispatchers.fromConfig(c);
    dispatcher.start();
    api = dispatcher.baseUrl();
    objects = S3ObjectStore.connect(c.s3());
    admin = key("submit,read,admin");
    plain = key("submit,read");
    dataset = Files.createDirectories(dir.resolve("dogs"));
    Files.write(dataset.resolve("000.png"), png(0));
    Files.writeString(dataset.resolve("000.txt"), "a photo of [fernando]\n");
    Files.write(dataset.resolve("001.png"), png(1));
    Files.writeString(dataset.resolve("001.txt"), "  [fernando] on grass ");
    Files.writeString(dataset.resolve("notes.md"), "not part of the dataset");
  }

  @AfterAll
  static void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (objects != null) {
      objects.close();
    }
  }

  static String key(String scopes) {
    Farm f =
        Farm.run(
            "keys",
            "create",
            "--config",
            props.toString(),
            "--tenant",
            tenant,
            "--scopes",
            scopes,
            "--quiet");
    assertEquals(0, f.exitCode(), f.err());
    return f.out().trim();
  }

  static byte[] png(int i) throws Exception {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    img.setRGB(i, i, 0xff8800);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /** Runs {@code farm train <args> --api <api>} with {@code key}. */
  static Farm train(String key, String... args) {
    List<String> all = new ArrayList<>(List.of("train"));
    all.addAll(List.of(args));
    all.addAll(List.of("--api", api, "--api-key", key));
    return Farm.run(all.toArray(String[]::new));
  }

  /** The stored job whose id the command printed; it is queued (no worker runs). */
  static JsonNode job(Farm f) {
    assertEquals(0, f.exitCode(), f.err());
    JsonNode j = new ApiClient(api, admin).get("/v1/jobs/" + f.out().trim());
    assertEquals("queued", j.path("status").asText(), j.toString());
    return j;
  }

  static void assertUploadedDataset(JsonNode params) throws Exception {
    JsonNode images = params.path("dataset").path("images");
    assertEquals(2, images.size(), params.toString());
    assertEquals("a photo of [fernando]", images.path(0).path("caption").asText());
    assertEquals("[fernando] on grass", images.path(1).path("caption").asText());
    String first = images.path(0).path("image").asText();
    String second = images.path(1).path("image").asText();
    assertNotEquals(first, second);
    assertArrayEquals(png(0), objects.get(first).orElseThrow(), first);
    assertArrayEquals(png(1), objects.get(second).orElseThrow(), second);
  }

  @Test
  void loraSubmitsExactlyTheFlagsGiven() throws Exception {
    JsonNode j =
        job(
            train(
                admin,
                "lora",
                "fernando",
                dataset.toString(),
                "--model",
                "tiny",
                "--rank",
                "8",
                "--module-filter",
                ".attn",
                "--module-filter",
                ".ff",
                "--token",
                "[fernando]=^dog</w>",
                "--token",
                "[extra]",
                "--steps",
                "3",
                "--lr",
                "0.0002",
                "--batch-size",
                "1",
                "--seed",
                "7"));
    JsonNode p = j.path("params");
    assertEquals("train_lora", p.path("kind").asText(), p.toString());
    assertEquals("fernando", p.path("lora_name").asText());
    assertEquals("tiny", p.path("model").asText());
    assertEquals(8, p.path("rank").asInt());
    assertEquals(List.of(".attn", ".ff"), strings(p.path("module_filters")));
    JsonNode tokens = p.path("train_tokens");
    assertEquals(2, tokens.size(), tokens.toString());
    assertEquals("[fernando]", tokens.path(0).path(0).asText());
    assertEquals("^dog</w>", tokens.path(0).path(1).asText());
    assertEquals("[extra]", tokens.path(1).path(0).asText());
    assertTrue(tokens.path(1).path(1).isNull(), tokens.toString());
    assertEquals(3, p.path("steps").asInt());
    assertEquals(0.0002, p.path("lr").asDouble());
    assertEquals(1, p.path("batch_size").asInt());
    assertEquals(7, p.path("seed").asLong());
    assertUploadedDataset(p);
  }

  @Test
  void finetuneSubmitsStageCAndStageBWithTheEmaFlags() throws Exception {
    JsonNode c =
        job(
            train(
                admin,
                "finetune",
                "--stage",
                "c",
                "dogs-c",
                dataset.toString(),
                "--model",
                "tiny",
                "--steps",
                "2",
                "--ema-iters",
                "10",
                "--ema-beta",
                "0.95",
                "--ema-start-iters",
                "100"));
    JsonNode p = c.path("params");
    assertEquals("finetune_c", p.path("kind").asText(), p.toString());
    assertEquals("dogs-c", p.path("model_name").asText());
    assertEquals("tiny", p.path("model").asText());
    assertEquals(2, p.path("steps").asInt());
    assertEquals(10, p.path("ema_iters").asInt());
    assertEquals(0.95, p.path("ema_beta").asDouble());
    assertEquals(100, p.path("ema_start_iters").asInt());
    assertUploadedDataset(p);

    JsonNode b =
        job(train(admin, "finetune", "--stage", "B", "dogs-b", dataset.toString(), "--lr", "3e-5"));
    JsonNode q = b.path("params");
    assertEquals("finetune_b", q.path("kind").asText(), q.toString());
    assertEquals("dogs-b", q.path("model_name").asText());
    assertEquals("lite", q.path("model").asText(), "the command's default base");
    assertEquals(3e-5, q.path("lr").asDouble());
    assertTrue(q.path("ema_iters").isMissingNode() || q.path("ema_iters").isNull(), q.toString());
  }

  @Test
  void badInputExitsNonZeroNamingTheFlagOrField() {
    Path missing = dir.resolve("no-such-dataset");
    Farm noDataset = train(admin, "lora", "x", missing.toString());
    assertNotEquals(0, noDataset.exitCode(), noDataset.out());
    assertTrue(noDataset.err().contains(missing.toString()), noDataset.err());

    Farm rank = train(admin, "lora", "x", dataset.toString(), "--rank", "0");
    assertNotEquals(0, rank.exitCode(), rank.out());
    assertTrue(rank.err().contains("400") && rank.err().contains("rank"), rank.err());

    Farm notAdmin = train(plain, "finetune", "--stage", "c", "x", dataset.toString());
    assertNotEquals(0, notAdmin.exitCode(), notAdmin.out());
    assertTrue(
        notAdmin.err().contains("403") && notAdmin.err().contains("'admin' scope"), notAdmin.err());

    Farm stage = train(admin, "finetune", "--stage", "a", "x", dataset.toString());
    assertNotEquals(0, stage.exitCode(), stage.out());
    assertTrue(stage.err().contains("--stage must be c or b"), stage.err());

    Farm noStage = train(admin, "finetune", "x", dataset.toString());
    assertNotEquals(0, noStage.exitCode(), noStage.out());
    assertTrue(noStage.err().contains("--stage"), noStage.err());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
