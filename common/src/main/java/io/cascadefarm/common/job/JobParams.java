package io.cascadefarm.common.job;

import io.cascadefarm.common.contract.JobContract;
import java.util.List;
import java.util.Map;

/**
 * Everything a client asks of one job, as in the HTTP API's job body; each field is declared (type,
 * bounds, default, description) in {@link JobContract}. Build one with {@link #builder()}. Before a
 * job is stored {@link JobDefaults#resolve} fills every default (including a random seed), so
 * stored params always reproduce the render.
 *
 * @param image an uploaded image key ({@code uploads/<sha256>.png}) for image kinds
 * @param mask an uploaded mask key for ControlNet inpaint/outpaint (white = generate)
 * @param control the ControlNet type for kind {@code controlnet}
 */
public record JobParams(
    JobKind kind,
    String prompt,
    String negativePrompt,
    Integer width,
    Integer height,
    Long seed,
    Integer images,
    String model,
    StageParams prior,
    StageParams decoder,
    String image,
    Double strength,
    String control,
    String mask,
    Double controlStrength,
    List<LoraRef> loras,
    Map<String, Object> metadata,
    String priority,
    Map<String, String> labels,
    String webhookUrl,
    List<String> webhookEvents,
    Integer previewEvery) {

  public JobParams {
    loras = loras == null ? List.of() : List.copyOf(loras);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    webhookEvents = webhookEvents == null ? List.of() : List.copyOf(webhookEvents);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    prior = prior == null ? StageParams.UNSET : prior;
    decoder = decoder == null ? StageParams.UNSET : decoder;
  }

  /** A text-to-image job with every other field unset (defaults apply). */
  public static JobParams textToImage(String prompt) {
    return builder().kind(JobKind.TEXT_TO_IMAGE).prompt(prompt).build();
  }

  /** A builder with every field unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this job's values. */
  public Builder toBuilder() {
    return new Builder()
        .kind(kind)
        .prompt(prompt)
        .negativePrompt(negativePrompt)
        .width(width)
        .height(height)
        .seed(seed)
        .images(images)
        .model(model)
        .prior(prior)
        .decoder(decoder)
        .image(image)
        .strength(strength)
        .control(control)
        .mask(mask)
        .controlStrength(controlStrength)
        .loras(loras)
        .metadata(metadata)
        .priority(priority)
        .labels(labels)
        .webhookUrl(webhookUrl)
        .webhookEvents(webhookEvents)
        .previewEvery(previewEvery);
  }

  /** These parameters with {@code loras} instead (e.g. pinned to their content hashes). */
  public JobParams withLoras(List<LoraRef> newLoras) {
    return toBuilder().loras(newLoras).build();
  }

  /**
   * Jobs with equal keys can share one batched pipeline call: same model, kind, size, steps,
   * guidance, ControlNet and LoRA set.
   */
  public String batchKey() {
    return JobContract.batchKey(this);
  }

  /**
   * Builds {@link JobParams}; every field starts unset. The field meanings, bounds and defaults are
   * declared in {@link JobContract}; {@link JobContract#check} says whether a built job is valid.
   */
  public static final class Builder {
    private JobKind kind;
    private String prompt;
    private String negativePrompt;
    private Integer width;
    private Integer height;
    private Long seed;
    private Integer images;
    private String model;
    private StageParams prior;
    private StageParams decoder;
    private String image;
    private Double strength;
    private String control;
    private String mask;
    private Double controlStrength;
    private List<LoraRef> loras;
    private Map<String, Object> metadata;
    private String priority;
    private Map<String, String> labels;
    private String webhookUrl;
    private List<String> webhookEvents;
    private Integer previewEvery;

    private Builder() {}

    public Builder priority(String v) {
      priority = v;
      return this;
    }

    public Builder labels(Map<String, String> v) {
      labels = v;
      return this;
    }

    public Builder webhookUrl(String v) {
      webhookUrl = v;
      return this;
    }

    public Builder webhookEvents(List<String> v) {
      webhookEvents = v;
      return this;
    }

    public Builder previewEvery(Integer v) {
      previewEvery = v;
      return this;
    }

    public Builder kind(JobKind v) {
      kind = v;
      return this;
    }

    public Builder prompt(String v) {
      prompt = v;
      return this;
    }

    public Builder negativePrompt(String v) {
      negativePrompt = v;
      return this;
    }

    public Builder width(Integer v) {
      width = v;
      return this;
    }

    public Builder height(Integer v) {
      height = v;
      return this;
    }

    /** Width and height in pixels. */
    public Builder size(int w, int h) {
      return width(w).height(h);
    }

    public Builder seed(Long v) {
      seed = v;
      return this;
    }

    public Builder images(Integer v) {
      images = v;
      return this;
    }

    public Builder model(String v) {
      model = v;
      return this;
    }

    public Builder prior(StageParams v) {
      prior = v;
      return this;
    }

    public Builder decoder(StageParams v) {
      decoder = v;
      return this;
    }

    public Builder image(String v) {
      image = v;
      return this;
    }

    public Builder strength(Double v) {
      strength = v;
      return this;
    }

    public Builder control(String v) {
      control = v;
      return this;
    }

    public Builder mask(String v) {
      mask = v;
      return this;
    }

    public Builder controlStrength(Double v) {
      controlStrength = v;
      return this;
    }

    public Builder loras(List<LoraRef> v) {
      loras = v;
      return this;
    }

    public Builder metadata(Map<String, Object> v) {
      metadata = v;
      return this;
    }

    public JobParams build() {
      return new JobParams(
          kind,
          prompt,
          negativePrompt,
          width,
          height,
          seed,
          images,
          model,
          prior,
          decoder,
          image,
          strength,
          control,
          mask,
          controlStrength,
          loras,
          metadata,
          priority,
          labels,
          webhookUrl,
          webhookEvents,
          previewEvery);
    }
  }
}
