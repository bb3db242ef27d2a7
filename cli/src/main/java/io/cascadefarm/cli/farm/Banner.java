package io.cascadefarm.cli.farm;

import io.cascadefarm.embedded.ServiceEndpoints;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** The block {@code farm standalone} prints once everything runs: every URL and how to use it. */
final class Banner {
  private Banner() {}

  static void print(PrintStream out, StandaloneFarm farm, Duration startup) {
    ServiceEndpoints e = farm.endpoints();
    String api = farm.apiUrl();
    out.printf(Locale.ROOT, "%nCascade Farm is running (started in %.1f s)%n", seconds(startup));
    out.println("  API        " + api + "/v1");
    out.println("  dashboard  " + api + "/ui/");
    out.println("  OpenAPI    " + api + "/openapi.json");
    out.println("  metrics    " + api + "/metrics   health " + api + "/healthz");
    out.println("  S3         " + e.s3Endpoint() + "  bucket " + e.s3Bucket());
    out.println("  PostgreSQL " + e.jdbcUrl() + "  user " + e.dbUser());
    out.println("  Kafka      " + e.kafkaBootstrapServers());
    out.println("  settings   " + farm.propertiesFile());
    StandaloneOptions o = farm.options();
    if (o.authEnabled()) {
      out.println(
          "  auth       API keys required: ./farm keys create --config "
              + farm.propertiesFile()
              + " --tenant NAME");
    } else {
      out.println(
          "  auth       !!! AUTHENTICATION IS OFF: anyone who can reach "
              + api
              + " acts as tenant 'default' (local use only; --auth turns API keys on) !!!");
    }
    if (o.workers() == 0) {
      out.println("  workers    none (--workers 0): jobs queue until a worker joins");
    } else {
      out.println("  workers    " + o.workers() + " in-process");
      out.println("  model      " + farm.renderer().describeModel(o.model()));
    }
    if (o.model().equals("tiny")) {
      out.println(
          "Model `tiny` has deterministic random weights: its images are noise. For real images"
              + " see README, Real weights (farm models pull).");
    }
    out.println("Join:  ./farm worker --config " + farm.propertiesFile());
    out.println(
        "Try:   curl -s -X POST "
            + api
            + "/v1/jobs -H 'Content-Type: application/json'"
            + " -d '{\"prompt\":\"a cat\",\"model\":\"tiny\",\"width\":256,\"height\":256}'");
    out.println("Ctrl-C stops the farm; the data stays in " + o.dataDir());
    out.flush();
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
