package io.cascadefarm.dispatcher;

/** Every field of the HTTP API's job body, for the hostile-input tests. */
public final class JobBodyFields {
  public static final String[] ALL = {
    "kind",
    "prompt",
    "negative_prompt",
    "width",
    "height",
    "seed",
    "images",
    "model",
    "prior",
    "decoder",
    "image",
    "strength",
    "control",
    "mask",
    "control_strength",
    "loras",
    "metadata"
  };

  private JobBodyFields() {}
}
