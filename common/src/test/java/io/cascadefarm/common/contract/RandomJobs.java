package io.cascadefarm.common.contract;

import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.LoraRef;
import io.cascadefarm.common.job.StageParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random jobs that the API accepts, as a client sends them (any field may be unset), for
 * property-style tests. Every bound comes from the {@link JobContract} declarations, with their
 * edges drawn often: the least and greatest value (or the smallest step above an excluded minimum),
 * the longest prompt, the most images and LoRAs. So widening a bound in the contract is tested
 * against the renderer at once. The cross-field rules are honoured: image kinds get an image,
 * ControlNet gets a control type and model big or tiny, inpaint gets a mask.
 */
public final class RandomJobs {
  private static final String HEX = "0123456789abcdef";
  private static final String NAME_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
  private final Random rnd;
  private final JobLimits limits;

  public RandomJobs(long seed, JobLimits limits) {
    this.rnd = new Random(seed);
    this.limits = limits;
  }

  /** A job the API accepts with {@code limits}, fields set at random. */
  public JobParams next() {
    JobKind[] renderKinds =
        java.util.Arrays.stream(JobKind.values())
            .filter(k -> !k.isTraining())
            .toArray(JobKind[]::new);
    JobKind kind =
        renderKinds[rnd.nextInt(renderKinds.length)]; // render kinds (train_lora: own tests)
    JobParams.Builder b = JobParams.builder();
    if (kind != JobKind.TEXT_TO_IMAGE || rnd.nextBoolean()) {
      b.kind(kind);
    }
    String prompt = maybe(() -> text(JobContract.PROMPT));
    if (kind == JobKind.TEXT_TO_IMAGE && (prompt == null || prompt.isBlank())) {
      prompt = "a fox " + text(JobContract.PROMPT).strip();
      prompt = prompt.substring(0, Math.min(prompt.length(), maxLength(JobContract.PROMPT)));
    }
    b.prompt(prompt);
    b.negativePrompt(maybe(() -> text(JobContract.NEGATIVE_PROMPT)));
    b.width(maybe(() -> (int) integer(JobContract.WIDTH)));
    b.height(maybe(() -> (int) integer(JobContract.HEIGHT)));
    b.seed(maybe(() -> integer(JobContract.SEED)));
    b.images(maybe(() -> (int) integer(JobContract.IMAGES)));
    b.prior(maybe(() -> stage(JobContract.PRIOR)));
    b.decoder(maybe(() -> stage(JobContract.DECODER)));
    if (kind.needsImage() || kind == JobKind.PRIOR && rnd.nextBoolean()) {
      b.image(uploadKey());
    }
    controls(kind, b);
    if (kind == JobKind.IMAGE_TO_IMAGE) {
      b.strength(maybe(() -> number(JobContract.STRENGTH)));
    }
    String model = maybe(() -> pick(JobContract.MODEL));
    if (kind == JobKind.CONTROLNET) {
      model = rnd.nextBoolean() ? "big" : "tiny";
      String control = pick(JobContract.CONTROL);
      b.control(control);
      boolean inpaint = control.equals("inpaint") || control.equals("inpainting");
      if ((inpaint || control.equals("outpaint")) && rnd.nextBoolean()) {
        b.mask(uploadKey());
      }
      b.controlStrength(maybe(() -> number(JobContract.CONTROL_STRENGTH)));
    }
    b.model(model);
    b.loras(maybe(this::loras));
    b.metadata(maybe(() -> Map.of("row", rnd.nextInt(1000), "tag", "t" + rnd.nextInt(9))));
    return b.build();
  }

  /** The issue-18 controls, honouring their cross-field rules. */
  private void controls(JobKind kind, JobParams.Builder b) {
    b.sampler(maybe(() -> pick(JobContract.SAMPLER)));
    b.noise(maybe(() -> pick(JobContract.NOISE)));
    b.cfgRescale(maybe(() -> number(JobContract.CFG_RESCALE)));
    b.promptWeights(maybe(() -> pick(JobContract.PROMPT_WEIGHTS)));
    JobParams so = b.build();
    boolean prior = kind != JobKind.RECONSTRUCT && kind != JobKind.DECODE;
    if (prior && kind != JobKind.IMAGE_TO_IMAGE && rnd.nextInt(4) == 0) {
      List<Double> grid = grid();
      b.priorTimesteps(grid);
      StageParams st = so.prior();
      b.prior(
          new StageParams(rnd.nextBoolean() ? null : grid.size() - 1, st.guidance(), st.shift()));
    }
    if (kind != JobKind.PRIOR) {
      if (rnd.nextInt(4) == 0) {
        List<Double> grid = grid();
        b.decoderTimesteps(grid);
        StageParams st = so.decoder();
        b.decoder(new StageParams(null, st.guidance(), st.shift()));
      }
      b.decoderNegativePrompt(maybe(() -> text(JobContract.DECODER_NEGATIVE_PROMPT)));
    }
    if ((kind == JobKind.IMAGE_VARIATION || kind == JobKind.PRIOR)
        && so.image() != null
        && rnd.nextBoolean()) {
      List<String> more = new ArrayList<>();
      int n = 1 + rnd.nextInt(JobContract.MAX_EXTRA_IMAGES);
      for (int i = 0; i < n; i++) {
        more.add(uploadKey());
      }
      b.extraImages(more);
    }
    if (kind == JobKind.DECODE) {
      b.embeddings("uploads/" + "d".repeat(64) + ".safetensors");
    }
  }

  /** A valid custom time grid: 2..12 strictly decreasing float32 times from (0, 1] to [0, 1). */
  private List<Double> grid() {
    int n = 2 + rnd.nextInt(11);
    java.util.TreeSet<Float> ts = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
    ts.add(rnd.nextBoolean() ? 1f : 0.05f + 0.95f * rnd.nextFloat());
    while (ts.size() < n) {
      float t = rnd.nextBoolean() && !ts.contains(0f) ? 0f : rnd.nextFloat() * ts.first();
      ts.add(t);
    }
    List<Double> out = new ArrayList<>();
    ts.forEach(t -> out.add((double) t));
    return out;
  }

  /** {@code n} jobs. */
  public List<JobParams> next(int n) {
    List<JobParams> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  private <T> T maybe(java.util.function.Supplier<T> value) {
    return rnd.nextInt(3) == 0 ? null : value.get();
  }

  private int maxLength(Field f) {
    return f.maxLength(limits);
  }

  private String text(Field f) {
    int max = maxLength(f);
    int len =
        switch (rnd.nextInt(4)) {
          case 0 -> 0;
          case 1 -> max;
          default -> rnd.nextInt(Math.min(max, 200) + 1);
        };
    StringBuilder sb = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      int c = rnd.nextInt(10);
      sb.append(c == 0 ? 'é' : c == 1 ? ' ' : (char) ('a' + rnd.nextInt(26)));
    }
    return sb.toString();
  }

  /** An integer in the field's range, a multiple of its step, the edges half the time. */
  long integer(Field f) {
    long min = f.minimum();
    long max = f.maxInteger(limits);
    int step = Math.max(1, f.multipleOfValue());
    long lo = ceilTo(min, step);
    long hi = Math.floorDiv(max, step) * step;
    long span = (hi - lo) / step; // steps above lo; the +1 below may overflow for seeds
    return switch (rnd.nextInt(4)) {
      case 0 -> lo;
      case 1 -> hi;
      default ->
          lo
              + (span == Long.MAX_VALUE
                      ? rnd.nextLong() >>> 1
                      : Math.floorMod(rnd.nextLong(), span + 1))
                  * step;
    };
  }

  private static long ceilTo(long v, int step) {
    return -Math.floorDiv(-v, step) * step;
  }

  /** A number in the field's range; an excluded minimum's smallest step above it often. */
  double number(Field f) {
    double min = f.minimumNumber();
    double max = f.maximumNumber();
    double lo = f.isExclusiveMinimum() ? Math.nextUp(min) : min;
    return switch (rnd.nextInt(5)) {
      case 0 -> lo;
      case 1 -> max;
      case 2 -> f.isExclusiveMinimum() ? min + 1e-3 : Math.rint(lo + (max - lo) / 2);
      default -> lo + rnd.nextDouble() * (max - lo);
    };
  }

  private String pick(Field f) {
    return f.allowed().get(rnd.nextInt(f.allowed().size()));
  }

  private StageParams stage(Field f) {
    Field steps = f.property("steps");
    Field guidance = f.property("guidance");
    Field shift = f.property("shift");
    return new StageParams(
        maybe(() -> (int) integer(steps)),
        maybe(() -> number(guidance)),
        maybe(() -> number(shift)));
  }

  private String uploadKey() {
    StringBuilder sb = new StringBuilder("uploads/");
    for (int i = 0; i < 64; i++) {
      sb.append(HEX.charAt(rnd.nextInt(16)));
    }
    return sb.append(rnd.nextInt(4) == 0 ? ".webp" : ".png").toString();
  }

  private List<LoraRef> loras() {
    Field lora = JobContract.LORAS.items();
    Field strength = lora.property("strength");
    int n = rnd.nextBoolean() ? JobContract.LORAS.maxItems() : rnd.nextInt(3);
    Map<String, LoraRef> byName = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String name = loraName(i);
      byName.put(name, new LoraRef(name, number(strength)));
    }
    return List.copyOf(byName.values());
  }

  private String loraName(int i) {
    int len = rnd.nextInt(4) == 0 ? JobContract.LORA_NAME.maxLength(limits) : 1 + rnd.nextInt(12);
    StringBuilder sb = new StringBuilder().append((char) ('a' + i));
    while (sb.length() < len) {
      sb.append(NAME_CHARS.charAt(rnd.nextInt(NAME_CHARS.length())));
    }
    return sb.toString();
  }
}
