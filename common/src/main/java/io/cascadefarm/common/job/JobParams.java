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
 * @param extraImages more upload keys for image variation (after {@code image})
 * @param latents an upload key of a safetensors file of initial latents
 * @param embeddings an upload key of a safetensors file of precomputed embeddings
 * @param loraName kind {@code train_lora}: the name the trained LoRA is registered under; the
 *     remaining components up to {@code imageSize} are that kind's hyper-parameters (official
 *     {@code train_c_lora.py} names)
 * @param modelName kinds {@code finetune_c} and {@code finetune_b}: the name the fine-tuned
 *     checkpoint is registered under for the tenant (rendered as {@code "model":
 *     "<tenant>/<name>"}); the {@code ema*} components are those kinds' official {@code
 *     train_c.py}/{@code train_b.py} settings
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
    String sampler,
    String noise,
    Double cfgRescale,
    List<Double> priorTimesteps,
    List<Double> decoderTimesteps,
    String decoderNegativePrompt,
    List<String> extraImages,
    String latents,
    String embeddings,
    String promptWeights,
    String loraName,
    TrainDataset dataset,
    Integer steps,
    Integer rank,
    List<String> moduleFilters,
    List<List<String>> trainTokens,
    Double lr,
    Integer batchSize,
    Integer gradAccumSteps,
    Integer warmupUpdates,
    Integer saveEvery,
    Integer imageSize,
    String modelName,
    Integer emaIters,
    Double emaBeta,
    Integer emaStartIters,
    String priority,
    Map<String, String> labels,
    String webhookUrl,
    List<String> webhookEvents,
    Integer previewEvery) {

  public JobParams {
    moduleFilters = moduleFilters == null ? null : List.copyOf(moduleFilters);
    if (trainTokens != null) {
      List<List<String>> copy = new java.util.ArrayList<>();
      for (List<String> pair : trainTokens) {
        copy.add(
            pair == null
                ? null
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(pair)));
      }
      trainTokens = java.util.Collections.unmodifiableList(copy);
    }
    loras = loras == null ? List.of() : List.copyOf(loras);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    webhookEvents = webhookEvents == null ? List.of() : List.copyOf(webhookEvents);
    priorTimesteps = priorTimesteps == null ? List.of() : List.copyOf(priorTimesteps);
    decoderTimesteps = decoderTimesteps == null ? List.of() : List.copyOf(decoderTimesteps);
    extraImages = extraImages == null ? List.of() : List.copyOf(extraImages);
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
        .sampler(sampler)
        .noise(noise)
        .cfgRescale(cfgRescale)
        .priorTimesteps(priorTimesteps)
        .decoderTimesteps(decoderTimesteps)
        .decoderNegativePrompt(decoderNegativePrompt)
        .extraImages(extraImages)
        .latents(latents)
        .embeddings(embeddings)
        .promptWeights(promptWeights)
        .loraName(loraName)
        .dataset(dataset)
        .steps(steps)
        .rank(rank)
        .moduleFilters(moduleFilters)
        .trainTokens(trainTokens)
        .lr(lr)
        .batchSize(batchSize)
        .gradAccumSteps(gradAccumSteps)
        .warmupUpdates(warmupUpdates)
        .saveEvery(saveEvery)
        .imageSize(imageSize)
        .modelName(modelName)
        .emaIters(emaIters)
        .emaBeta(emaBeta)
        .emaStartIters(emaStartIters)
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
    private String sampler;
    private String noise;
    private Double cfgRescale;
    private List<Double> priorTimesteps;
    private List<Double> decoderTimesteps;
    private String decoderNegativePrompt;
    private List<String> extraImages;
    private String latents;
    private String embeddings;
    private String promptWeights;
    private String loraName;
    private TrainDataset dataset;
    private Integer steps;
    private Integer rank;
    private List<String> moduleFilters;
    private List<List<String>> trainTokens;
    private Double lr;
    private Integer batchSize;
    private Integer gradAccumSteps;
    private Integer warmupUpdates;
    private Integer saveEvery;
    private Integer imageSize;
    private String modelName;
    private Integer emaIters;
    private Double emaBeta;
    private Integer emaStartIters;
    private String priority;
    private Map<String, String> labels;
    private String webhookUrl;
    private List<String> webhookEvents;
    private Integer previewEvery;

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

    private Builder() {}

    public Builder promptWeights(String v) {
      promptWeights = v;
      return this;
    }

    public Builder sampler(String v) {
      sampler = v;
      return this;
    }

    public Builder noise(String v) {
      noise = v;
      return this;
    }

    public Builder cfgRescale(Double v) {
      cfgRescale = v;
      return this;
    }

    public Builder priorTimesteps(List<Double> v) {
      priorTimesteps = v;
      return this;
    }

    public Builder decoderTimesteps(List<Double> v) {
      decoderTimesteps = v;
      return this;
    }

    public Builder decoderNegativePrompt(String v) {
      decoderNegativePrompt = v;
      return this;
    }

    public Builder extraImages(List<String> v) {
      extraImages = v;
      return this;
    }

    public Builder latents(String v) {
      latents = v;
      return this;
    }

    public Builder embeddings(String v) {
      embeddings = v;
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

    public Builder loraName(String v) {
      loraName = v;
      return this;
    }

    public Builder dataset(TrainDataset v) {
      dataset = v;
      return this;
    }

    public Builder steps(Integer v) {
      steps = v;
      return this;
    }

    public Builder rank(Integer v) {
      rank = v;
      return this;
    }

    public Builder moduleFilters(List<String> v) {
      moduleFilters = v;
      return this;
    }

    public Builder trainTokens(List<List<String>> v) {
      trainTokens = v;
      return this;
    }

    public Builder lr(Double v) {
      lr = v;
      return this;
    }

    public Builder batchSize(Integer v) {
      batchSize = v;
      return this;
    }

    public Builder gradAccumSteps(Integer v) {
      gradAccumSteps = v;
      return this;
    }

    public Builder warmupUpdates(Integer v) {
      warmupUpdates = v;
      return this;
    }

    public Builder saveEvery(Integer v) {
      saveEvery = v;
      return this;
    }

    public Builder imageSize(Integer v) {
      imageSize = v;
      return this;
    }

    public Builder modelName(String v) {
      modelName = v;
      return this;
    }

    public Builder emaIters(Integer v) {
      emaIters = v;
      return this;
    }

    public Builder emaBeta(Double v) {
      emaBeta = v;
      return this;
    }

    public Builder emaStartIters(Integer v) {
      emaStartIters = v;
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
          sampler,
          noise,
          cfgRescale,
          priorTimesteps,
          decoderTimesteps,
          decoderNegativePrompt,
          extraImages,
          latents,
          embeddings,
          promptWeights,
          loraName,
          dataset,
          steps,
          rank,
          moduleFilters,
          trainTokens,
          lr,
          batchSize,
          gradAccumSteps,
          warmupUpdates,
          saveEvery,
          imageSize,
          modelName,
          emaIters,
          emaBeta,
          emaStartIters,
          priority,
          labels,
          webhookUrl,
          webhookEvents,
          previewEvery);
    }
  }
}
