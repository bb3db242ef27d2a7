package io.cascadefarm.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cli.client.ApiClient;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code --watch} of the training commands: follows a job, printing step, loss and learning rate at
 * each new step, then what it registered (a LoRA or a model); exit code 0 when it succeeded.
 */
final class TrainWatch {
  private TrainWatch() {}

  static int follow(ApiClient c, String id, PrintWriter out) throws Exception {
    int last = -1;
    while (true) {
      JsonNode j = c.get("/v1/jobs/" + id);
      JsonNode p = j.path("progress");
      if (p.has("loss") && p.path("step").asInt() != last) {
        last = p.path("step").asInt();
        out.printf(
            Locale.ROOT,
            "step %d/%d loss %.5f lr %.3g%n",
            last,
            p.path("steps").asInt(),
            p.path("loss").asDouble(),
            p.path("lr").asDouble());
        out.flush();
      }
      String status = j.path("status").asText();
      if (status.equals("succeeded")) {
        JsonNode r = j.path("result");
        boolean lora = r.hasNonNull("lora");
        JsonNode made = lora ? r.path("lora") : r.path("model");
        out.printf(
            Locale.ROOT,
            "succeeded: %s %s (sha256 %s), %d steps, loss %.5f%n",
            lora ? "LoRA" : "model",
            made.path("name").asText(),
            made.path("sha256").asText(),
            r.path("steps").asLong(),
            r.path("loss").asDouble());
        return 0;
      }
      if (status.equals("failed") || status.equals("cancelled")) {
        out.println(status + ": " + j.path("error").path("message").asText(""));
        return 1;
      }
      Thread.sleep(1000);
    }
  }
}
