package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A LoRA name belongs to the tenant that first uploaded it: others get 409, the owner may replace
 * it.
 */
class LoraTenancyTest {
  static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi(Map.of(), r -> r.getHeader("X-Test-Tenant"));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static int upload(String tenant, String name) throws Exception {
    return api.send(
            "POST",
            "/v1/loras?name=" + name,
            LoraAndControlRoutesTest.officialLora(),
            "X-Test-Tenant",
            tenant)
        .status();
  }

  @Test
  void anotherTenantCannotReplaceALora() throws Exception {
    assertEquals(201, upload("a", "shared-style"));
    assertEquals(201, upload("a", "shared-style"), "the owner may replace it");
    TestApi.Answer other =
        api.send(
            "POST",
            "/v1/loras?name=shared-style",
            LoraAndControlRoutesTest.officialLora(),
            "X-Test-Tenant",
            "b");
    assertEquals(409, other.status(), other.text());
    assertEquals("name", other.json().path("error").path("fields").path(0).path("field").asText());
    assertEquals("a", new String(api.objects.get("loras/shared-style.owner").orElseThrow()));
    api.objects.put("loras/operator.sha256", "00".getBytes(), "text/plain");
    assertEquals(409, upload("a", "operator"), "operator-placed LoRAs are not replaceable");
  }

  static TestApi.Answer job(String tenant, String lora) {
    return api.post(
        "/v1/jobs",
        "{\"prompt\":\"p\",\"model\":\"big\",\"loras\":[{\"name\":\"" + lora + "\"}]}",
        "X-Test-Tenant",
        tenant);
  }

  static io.cascadefarm.common.job.LoraRef storedLora(TestApi.Answer accepted) {
    java.util.UUID id = java.util.UUID.fromString(accepted.json().path("id").asText());
    return api.store.find(id).orElseThrow().params().loras().get(0);
  }

  /**
   * A LoRA is private to its owner unless shared; a job pins the exact file it was accepted with,
   * so the owner replacing it changes nothing for queued jobs (issue 15, finding 8).
   */
  @Test
  void loRAsArePrivateUnlessSharedAndJobsPinTheirContent() throws Exception {
    byte[] v1 = io.cascadefarm.codec.hostile.HostileFiles.lora("{\"v\":\"1\"}");
    byte[] v2 = io.cascadefarm.codec.hostile.HostileFiles.lora("{\"v\":\"2\"}");
    assertEquals(201, api.send("POST", "/v1/loras?name=mine", v1, "X-Test-Tenant", "a").status());
    TestApi.Answer own = job("a", "mine");
    assertEquals(202, own.status(), own.text());
    TestApi.Answer other = job("b", "mine");
    assertEquals(400, other.status(), other.text());
    assertEquals(
        "loras[0].name", other.json().path("error").path("fields").path(0).path("field").asText());
    TestApi.Answer ghost = job("b", "never-uploaded");
    assertEquals(
        ghost
            .json()
            .path("error")
            .path("fields")
            .path(0)
            .path("message")
            .asText()
            .replace("never-uploaded", "mine"),
        other.json().path("error").path("fields").path(0).path("message").asText(),
        "a private LoRA looks exactly like an unknown one");

    String sha1 = storedLora(own).sha256();
    assertEquals(64, sha1.length(), "the job pinned the LoRA's hash");
    assertEquals(
        201,
        api.send("POST", "/v1/loras?name=mine&shared=true", v2, "X-Test-Tenant", "a").status());
    TestApi.Answer shared = job("b", "mine");
    assertEquals(202, shared.status(), shared.text());
    String sha2 = storedLora(shared).sha256();
    assertTrue(!sha1.equals(sha2), "the new upload has a new hash");
    assertEquals(sha1, storedLora(own).sha256(), "the queued job keeps its pinned file");
    assertTrue(api.objects.exists("loras/sha256/" + sha1 + ".safetensors"), "content kept");
    assertEquals(201, api.send("POST", "/v1/loras?name=mine", v1, "X-Test-Tenant", "a").status());
    assertEquals(400, job("b", "mine").status(), "private again once re-uploaded unshared");
  }
}
