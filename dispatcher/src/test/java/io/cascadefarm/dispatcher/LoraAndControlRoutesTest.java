package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/loras}, LoRA names on jobs and the controlnet field rules. */
class LoraAndControlRoutesTest {
  static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** A minimal safetensors file with the given header JSON and data length. */
  static byte[] safetensors(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return b.array();
  }

  static byte[] officialLora() {
    return safetensors(
        "{\"weights.0.lora_down\":{\"dtype\":\"F32\",\"shape\":[4,8],\"data_offsets\":[0,128]},"
            + "\"weights.0.lora_up\":{\"dtype\":\"F32\",\"shape\":[8,4],\"data_offsets\":[128,256]},"
            + "\"__metadata__\":{\"format\":\"pt\"}}",
        256);
  }

  @Test
  void loraIsStoredWithItsHashAndNamedByJobs() {
    TestApi.Answer a = api.send("POST", "/v1/loras?name=style.v1", officialLora());
    assertEquals(201, a.status(), a.text());
    assertEquals("loras/style.v1.safetensors", a.json().path("key").asText());
    assertEquals(2, a.json().path("tensors").asInt());
    String sha = a.json().path("sha256").asText();
    assertEquals(
        sha,
        new String(api.objects.objects.get("loras/style.v1.sha256"), StandardCharsets.US_ASCII));
    TestApi.Answer job =
        api.post(
            "/v1/jobs",
            "{\"prompt\":\"a dog [fernando]\",\"model\":\"tiny\",\"loras\":[{\"name\":\"style.v1\","
                + "\"strength\":0.8}]}");
    assertEquals(202, job.status(), job.text());
  }

  @Test
  void unknownLoraIsRefusedNamingIt() {
    TestApi.Answer job =
        api.post("/v1/jobs", "{\"prompt\":\"x\",\"loras\":[{\"name\":\"nope\",\"strength\":1}]}");
    assertEquals(400, job.status(), job.text());
    assertTrue(job.text().contains("loras[0].name"), job.text());
    assertTrue(job.text().contains("nope"), job.text());
  }

  @Test
  void badLoraUploadsAreRefusedWithTheReason() {
    assertEquals(400, api.send("POST", "/v1/loras", officialLora()).status(), "name missing");
    TestApi.Answer badName = api.send("POST", "/v1/loras?name=../x", officialLora());
    assertEquals(400, badName.status());
    assertTrue(badName.text().contains("name"), badName.text());
    TestApi.Answer notLora =
        api.send(
            "POST",
            "/v1/loras?name=x",
            safetensors(
                "{\"stage_c.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                4));
    assertEquals(400, notLora.status());
    assertTrue(notLora.text().contains("stage_c.weight"), notLora.text());
    TestApi.Answer truncated =
        api.send(
            "POST",
            "/v1/loras?name=x",
            safetensors(
                "{\"weights.0.lora_up\":{\"dtype\":\"F32\",\"shape\":[8,4],\"data_offsets\":[0,128]}}",
                16));
    assertEquals(400, truncated.status());
    assertTrue(truncated.text().contains("data_offsets"), truncated.text());
    assertEquals(400, api.send("POST", "/v1/loras?name=x", new byte[] {1, 2, 3}).status());
  }

  @Test
  void controlnetFieldsAreCheckedByName() {
    TestApi.Answer noControl =
        api.post(
            "/v1/jobs",
            "{\"kind\":\"controlnet\",\"model\":\"tiny\",\"prompt\":\"x\",\"image\":\"uploads/"
                + "a".repeat(64)
                + ".png\"}");
    assertEquals(400, noControl.status());
    assertTrue(noControl.text().contains("\"control\""), noControl.text());
    // a mask is only for inpaint/outpaint; inpaint without one is the official automatic mode
    TestApi.Answer noMask =
        api.post(
            "/v1/jobs",
            "{\"kind\":\"controlnet\",\"control\":\"inpaint\",\"model\":\"tiny\",\"prompt\":\"x\"}");
    assertEquals(400, noMask.status());
    assertFalse(noMask.text().contains("\"mask\""), noMask.text());
    TestApi.Answer cannyMask =
        api.post(
            "/v1/jobs",
            "{\"kind\":\"controlnet\",\"control\":\"canny\",\"model\":\"tiny\",\"prompt\":\"x\","
                + "\"mask\":\"uploads/"
                + "c".repeat(64)
                + ".png\"}");
    assertEquals(400, cannyMask.status());
    assertTrue(cannyMask.text().contains("\"mask\""), cannyMask.text());
    TestApi.Answer unknown =
        api.post(
            "/v1/jobs",
            "{\"kind\":\"controlnet\",\"control\":\"sketch\",\"model\":\"tiny\",\"prompt\":\"x\"}");
    assertEquals(400, unknown.status());
    assertTrue(unknown.text().contains("outpaint"), unknown.text());
  }
}
