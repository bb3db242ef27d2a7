package io.cascadefarm.worker.testing;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import java.util.HashMap;
import java.util.Map;

/** Small job params and worker configs for tests. */
public final class Fixtures {
  private Fixtures() {}

  /** A text-to-image job of the given size, one image, fixed seed. */
  public static JobParams small(String prompt, int width, int height) {
    return params(JobKind.TEXT_TO_IMAGE, prompt, width, height, null);
  }

  public static JobParams params(JobKind kind, String prompt, int w, int h, String image) {
    return JobParams.builder()
        .kind(kind)
        .prompt(prompt)
        .size(w, h)
        .seed(7L)
        .images(1)
        .model("tiny")
        .image(image)
        .build();
  }

  /** A worker config from defaults plus overrides. */
  public static WorkerConfig config(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    m.put("farm.worker.id", "w1");
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return WorkerConfig.from(ConfigSource.of(m));
  }
}
