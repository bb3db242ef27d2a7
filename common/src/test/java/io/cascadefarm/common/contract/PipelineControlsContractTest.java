package io.cascadefarm.common.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The issue-18 fields through the contract: their defaults are today's behaviour, their cross-field
 * rules name the field, and inpaint without a mask (the official automatic mode) is accepted.
 */
class PipelineControlsContractTest {
  static final String IMG = "uploads/" + "a".repeat(64) + ".png";
  static final String TENSORS = "uploads/" + "b".repeat(64) + ".safetensors";

  static List<Violation> problems(String json) throws Exception {
    List<Violation> out = new ArrayList<>();
    JobParams p = JobContractTest.read(json, out);
    JobContract.checkRules(p, "", (f, m) -> out.add(new Violation(f, m)));
    return out;
  }

  static List<String> fields(String json) throws Exception {
    return problems(json).stream().map(Violation::field).toList();
  }

  @Test
  void defaultsAreTodaysBehaviour() throws Exception {
    List<Violation> out = new ArrayList<>();
    JobParams p =
        JobDefaults.resolve(JobContractTest.read("{\"prompt\":\"a fox\"}", out), () -> 1L);
    assertEquals(List.of(), out);
    assertEquals("ddpm", p.sampler());
    assertEquals("java", p.noise());
    assertEquals(0.7, p.cfgRescale());
    assertEquals("", p.decoderNegativePrompt());
    assertEquals(20, p.prior().steps());
    assertEquals(10, p.decoder().steps());
    assertEquals(List.of(), p.priorTimesteps());
  }

  @Test
  void everyControlIsAcceptedWhereItApplies() throws Exception {
    assertEquals(
        List.of(),
        problems(
            "{\"prompt\":\"a\",\"sampler\":\"ddim\",\"noise\":\"torch\",\"cfg_rescale\":0,"
                + "\"prior_timesteps\":[1,0.5,0],\"decoder_timesteps\":[1,0.3,0],"
                + "\"decoder_negative_prompt\":\"blurry\",\"latents\":\""
                + TENSORS
                + "\",\"embeddings\":\""
                + TENSORS
                + "\"}"));
    assertEquals(
        List.of(),
        problems(
            "{\"kind\":\"image_variation\",\"image\":\""
                + IMG
                + "\",\"extra_images\":[\""
                + IMG
                + "\"]}"));
    assertEquals(List.of(), problems("{\"kind\":\"prior\",\"prompt\":\"a\"}"));
    assertEquals(List.of(), problems("{\"kind\":\"decode\",\"embeddings\":\"" + TENSORS + "\"}"));
    assertEquals(
        List.of(),
        problems(
            "{\"kind\":\"controlnet\",\"control\":\"inpaint\",\"model\":\"big\",\"image\":\""
                + IMG
                + "\"}"),
        "inpaint without a mask is the official automatic mode");
    List<Violation> out = new ArrayList<>();
    JobParams p =
        JobDefaults.resolve(
            JobContractTest.read("{\"prompt\":\"a\",\"prior_timesteps\":[1,0.6,0.2,0]}", out),
            () -> 1L);
    assertEquals(3, p.prior().steps(), "steps follow the grid");
  }

  @Test
  void misplacedControlsAreNamed() throws Exception {
    assertEquals(List.of("sampler"), fields("{\"prompt\":\"a\",\"sampler\":\"euler\"}"));
    assertEquals(List.of("noise"), fields("{\"prompt\":\"a\",\"noise\":\"cuda\"}"));
    assertEquals(List.of("cfg_rescale"), fields("{\"prompt\":\"a\",\"cfg_rescale\":1.5}"));
    assertEquals(
        List.of("prior_timesteps"), fields("{\"prompt\":\"a\",\"prior_timesteps\":[0.5,0.7,0]}"));
    assertEquals(
        List.of("prior_timesteps"), fields("{\"prompt\":\"a\",\"prior_timesteps\":[0,0]}"));
    assertEquals(
        List.of("prior.steps"),
        fields("{\"prompt\":\"a\",\"prior_timesteps\":[1,0.5,0],\"prior\":{\"steps\":5}}"));
    assertEquals(
        List.of("prior_timesteps"),
        fields(
            "{\"kind\":\"image_to_image\",\"image\":\"" + IMG + "\",\"prior_timesteps\":[1,0]}"));
    assertEquals(
        List.of("decoder_timesteps", "decoder_negative_prompt"),
        fields(
            "{\"kind\":\"prior\",\"decoder_timesteps\":[1,0],\"decoder_negative_prompt\":\"x\"}"));
    assertEquals(
        List.of("extra_images"), fields("{\"prompt\":\"a\",\"extra_images\":[\"" + IMG + "\"]}"));
    assertEquals(
        List.of("latents"),
        fields(
            "{\"kind\":\"image_to_image\",\"image\":\""
                + IMG
                + "\",\"latents\":\""
                + TENSORS
                + "\"}"));
    assertEquals(List.of("latents"), fields("{\"prompt\":\"a\",\"latents\":\"" + IMG + "\"}"));
    assertEquals(List.of("embeddings"), fields("{\"kind\":\"decode\"}"));
    assertEquals(
        List.of("image"),
        fields(
            "{\"kind\":\"decode\",\"embeddings\":\"" + TENSORS + "\",\"image\":\"" + IMG + "\"}"));
  }

  @Test
  void theSchemaDescribesEveryControl() {
    var props = JobContract.schema(JobContractTest.API).get("properties");
    for (String f :
        List.of(
            "sampler",
            "noise",
            "cfg_rescale",
            "prior_timesteps",
            "decoder_timesteps",
            "decoder_negative_prompt",
            "extra_images",
            "latents",
            "embeddings",
            "prompt_weights")) {
      assertTrue(props.has(f), f);
    }
    assertTrue(props.get("kind").get("enum").toString().contains("\"decode\""));
    assertEquals("ddpm", props.get("sampler").get("default").asText());
  }
}
