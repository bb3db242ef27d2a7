package io.cascadefarm.dispatcher.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.model.CustomModel;
import io.cascadefarm.common.model.CustomModels;
import io.cascadefarm.common.port.ApiKey;
import io.cascadefarm.common.port.Scopes;
import io.cascadefarm.db.Database;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.dispatcher.it.RealFarm;
import io.cascadefarm.embedded.TestServices;
import io.cascadefarm.infra.s3.S3ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gate of the full fine-tuning kinds and the checks of fine-tuned model names, on the real
 * embedded PostgreSQL, Kafka and S3 with authentication on: with {@code
 * farm.training.finetune-enabled} off every key gets 403 naming the setting; with it on a key
 * without {@code admin} gets 403 naming the scope and an admin key gets 202; bad finetune fields
 * are 400 naming the field; a render job may name only its own tenant's registered model.
 */
class FinetuneGateIntegrationTest {
  static Dispatcher open;
  static Dispatcher closed;
  static Database db;
  static S3ObjectStore objects;
  static AuthClient onClient;
  static AuthClient offClient;
  static final String TENANT_A = "ft-a-" + UUID.randomUUID().toString().substring(0, 8);
  static final String TENANT_B = "ft-b-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start() {
    Map<String, String> common =
        Map.of(
            "farm.kafka.job-partitions", "1",
            "farm.auth.enabled", "true",
            "farm.auth.key-cache-ttl", "0s");
    java.util.HashMap<String, String> on = new java.util.HashMap<>(common);
    on.put("farm.training.finetune-enabled", "true");
    DispatcherConfig onConfig = RealFarm.config(TestServices.endpoints(), on);
    db = Database.create(onConfig.db());
    db.migrate();
    open = Dispatchers.fromConfig(onConfig);
    open.start();
    closed = Dispatchers.fromConfig(RealFarm.config(TestServices.endpoints(), common));
    closed.start();
    onClient = new AuthClient(open.baseUrl());
    offClient = new AuthClient(closed.baseUrl());
    objects = S3ObjectStore.connect(onConfig.s3());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {open, closed, objects, db}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  static String key(String tenant, String scopes) {
    String secret = ApiKeySecrets.generate();
    ApiKey k = db.jobStore().createKey(tenant, "finetune", ApiKeySecrets.sha256Hex(secret));
    db.keyScopes().setScopes(k.id(), Scopes.parse(scopes));
    return secret;
  }

  static String upload(AuthClient c, String key) throws Exception {
    AuthClient.Answer a =
        c.send(
            key,
            "POST",
            "/v1/uploads",
            AuthTenancyIntegrationTest.png(),
            "Content-Type",
            "image/png");
    assertEquals(201, a.status(), a.text());
    return a.json().path("image").asText();
  }

  static String finetune(String kind, String image, String extra) {
    return "{\"kind\":\""
        + kind
        + "\",\"model\":\"tiny\",\"model_name\":\"dogs\",\"steps\":2,\"batch_size\":1,"
        + "\"dataset\":{\"images\":[{\"image\":\""
        + image
        + "\",\"caption\":\"a dog\"}]}"
        + extra
        + "}";
  }

  static void assertRefused(AuthClient.Answer a, int status, String field, String says) {
    assertEquals(status, a.status(), a.text());
    JsonNode fields = a.json().path("error").path("fields");
    boolean named = false;
    for (JsonNode f : fields) {
      if (f.path("field").asText().equals(field) && f.path("message").asText().contains(says)) {
        named = true;
      }
    }
    assertTrue(named, field + " / " + says + " in " + a.text());
  }

  @Test
  void finetuneJobsNeedTheSettingAndTheAdminScope() throws Exception {
    String admin = key(TENANT_A, "submit,read,admin");
    String plain = key(TENANT_A, "submit,read");
    String image = upload(offClient, admin);
    for (String kind : new String[] {"finetune_c", "finetune_b"}) {
      assertRefused(
          offClient.send(admin, "POST", "/v1/jobs", finetune(kind, image, "")),
          403,
          "kind",
          "farm.training.finetune-enabled");
      assertRefused(
          onClient.send(plain, "POST", "/v1/jobs", finetune(kind, image, "")),
          403,
          "kind",
          "'admin' scope");
    }
    AuthClient.Answer ok =
        onClient.send(admin, "POST", "/v1/jobs", finetune("finetune_c", image, ""));
    assertEquals(202, ok.status(), ok.text());
    JsonNode params = ok.json().path("params");
    // defaults of the official finetune_c_1b.yaml (tiny follows the 1B config)
    assertEquals(1e-4, params.path("lr").asDouble());
    assertEquals(1, params.path("grad_accum_steps").asInt());
    assertEquals(2000, params.path("save_every").asInt());
    assertEquals(768, params.path("image_size").asInt());
    assertTrue(params.path("ema_iters").isMissingNode() || params.path("ema_iters").isNull());
    // train_lora is not gated
    AuthClient.Answer lora =
        offClient.send(
            plain,
            "POST",
            "/v1/jobs",
            "{\"kind\":\"train_lora\",\"model\":\"tiny\",\"lora_name\":\"gate-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"dataset\":{\"images\":[{\"image\":\""
                + image
                + "\"}]}}");
    assertEquals(202, lora.status(), lora.text());
  }

  @Test
  void badFinetuneFieldsAreNamed() throws Exception {
    String admin = key(TENANT_A, "submit,read,admin");
    String image = upload(onClient, admin);
    assertRefused(
        onClient.send(
            admin,
            "POST",
            "/v1/jobs",
            finetune("finetune_b", image, "").replace("\"model_name\":\"dogs\",", "")),
        400,
        "model_name",
        "is required for kind finetune_b");
    assertRefused(
        onClient.send(
            admin, "POST", "/v1/jobs", finetune("finetune_c", image, ",\"ema_beta\":0.5")),
        400,
        "ema_beta",
        "ema_iters");
    assertRefused(
        onClient.send(admin, "POST", "/v1/jobs", finetune("finetune_c", image, ",\"rank\":4")),
        400,
        "rank",
        "train_lora");
    assertRefused(
        onClient.send(
            admin,
            "POST",
            "/v1/jobs",
            finetune("finetune_c", image, "").replace("\"model\":\"tiny\"", "\"model\":\"a/b\"")),
        400,
        "model",
        "not from a fine-tuned model");
    assertRefused(
        onClient.send(
            admin, "POST", "/v1/jobs", "{\"prompt\":\"a\",\"model_name\":\"x\",\"ema_iters\":2}"),
        400,
        "model_name",
        "finetune_c and finetune_b");
    assertRefused(
        onClient.send(
            admin, "POST", "/v1/batches", "{\"jobs\":[" + finetune("finetune_c", image, "") + "]}"),
        400,
        "jobs[0].kind",
        "not accepted in batches");
  }

  @Test
  void aRenderJobMayNameOnlyItsOwnTenantsModel() throws Exception {
    String name = "pets-" + UUID.randomUUID().toString().substring(0, 8);
    Path weights = Files.createTempFile("model", ".safetensors");
    Files.write(weights, new byte[] {1, 2, 3});
    String model = CustomModels.modelName(TENANT_A, name);
    UUID job = UUID.randomUUID();
    assertTrue(
        CustomModels.register(
            objects,
            new CustomModel(
                model, TENANT_A, "tiny", "c", "0".repeat(64), job, 2, false, Instant.now()),
            weights));
    Files.delete(weights);
    String a = key(TENANT_A, "submit,read,admin");
    String b = key(TENANT_B, "submit,read,admin");
    String render = "{\"prompt\":\"a dog\",\"model\":\"" + model + "\"}";
    AuthClient.Answer mine = onClient.send(a, "POST", "/v1/jobs", render);
    assertEquals(202, mine.status(), mine.text());
    assertEquals(model, mine.json().path("params").path("model").asText());
    assertRefused(onClient.send(b, "POST", "/v1/jobs", render), 400, "model", "unknown model");
    assertRefused(
        onClient.send(a, "POST", "/v1/jobs", render.replace(name, "never-trained")),
        400,
        "model",
        "unknown model");
    // the name is taken for the tenant's next fine-tuning
    String image = upload(onClient, a);
    assertRefused(
        onClient.send(
            a,
            "POST",
            "/v1/jobs",
            finetune("finetune_c", image, "")
                .replace("\"model_name\":\"dogs\"", "\"model_name\":\"" + name + "\"")),
        400,
        "model_name",
        "exists already");
    // listed for its tenant only
    JsonNode listedA = onClient.send(a, "GET", "/v1/models", (byte[]) null).json();
    JsonNode listedB = onClient.send(b, "GET", "/v1/models", (byte[]) null).json();
    assertTrue(listedA.path("fine_tuned").toString().contains(model), listedA.toString());
    assertTrue(!listedB.path("fine_tuned").toString().contains(model), listedB.toString());
  }
}
