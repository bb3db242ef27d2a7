package io.cascadefarm.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code farm submit}'s issue-18 flags become the API's fields; local files are uploaded. */
class JobFlagsTest {

  @Test
  void controlFlagsBecomeJobFields() {
    JobFlags flags = new JobFlags();
    new CommandLine(flags)
        .parseArgs(
            "--kind", "image_variation",
            "--image", "a.png",
            "--image", "uploads/" + "b".repeat(64) + ".png",
            "--image", "c.png",
            "--sampler", "ddim",
            "--noise", "torch",
            "--cfg-rescale", "0",
            "--decoder-negative-prompt", "blurry",
            "--prior-timesteps", "1,0.5,0",
            "--latents", "x.safetensors");
    List<String> uploaded = new ArrayList<>();
    ObjectNode o =
        flags.toJson(
            f -> {
              uploaded.add(f.toString());
              return "uploads/" + f.getFileName();
            });
    assertEquals("uploads/a.png", o.path("image").asText());
    assertEquals(
        "[\"uploads/" + "b".repeat(64) + ".png\",\"uploads/c.png\"]",
        o.path("extra_images").toString());
    assertEquals("ddim", o.path("sampler").asText());
    assertEquals("torch", o.path("noise").asText());
    assertEquals(0.0, o.path("cfg_rescale").asDouble());
    assertEquals("blurry", o.path("decoder_negative_prompt").asText());
    assertEquals("[1.0,0.5,0.0]", o.path("prior_timesteps").toString());
    assertEquals("uploads/x.safetensors", o.path("latents").asText());
    assertEquals(List.of("a.png", "c.png", "x.safetensors"), uploaded);
  }
}
