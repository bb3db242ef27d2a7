package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
