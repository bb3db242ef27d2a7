package io.cascadefarm.clients.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.db.Database;
import io.cascadefarm.db.JdbcJobStore;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.dispatcher.auth.ApiKeySecrets;
import io.cascadefarm.embedded.TestServices;
import io.cascadefarm.infra.s3.S3ObjectStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The Python client generated at build time from the dispatcher's OpenAPI document drives a farm
 * (dispatcher on the embedded PostgreSQL, Kafka and S3; a stand-in worker finishes the tenant's
 * queued jobs with a PNG) with the system's {@code python3}: {@code src/test/python/drive_farm.py}
 * submits a batch with a webhook, polls it, lists and downloads its results and verifies the
 * webhook signatures.
 */
class PythonClientTest {

  @Test
  void theGeneratedClientDrivesAFarm() throws Exception {
    Map<String, String> m = new HashMap<>();
    TestServices.endpoints().toProperties().forEach((k, v) -> m.put((String) k, (String) v));
    m.put("farm.kafka.topic-prefix", "py-" + UUID.randomUUID().toString().substring(0, 8));
    m.put("farm.kafka.job-partitions", "1");
    m.put("farm.http.host", "127.0.0.1");
    m.put("farm.http.port", "0");
    m.put("farm.auth.key-cache-ttl", "0s");
    m.put("farm.webhooks.allow-private", "true");
    m.put("farm.webhooks.interval", "100ms");
    DispatcherConfig c = DispatcherConfig.from(ConfigSource.of(m));
    String tenant = "py-" + UUID.randomUUID();
    try (Database db = Database.create(c.db());
        S3ObjectStore objects = S3ObjectStore.connect(c.s3());
        Dispatcher d = Dispatchers.fromConfig(c)) {
      db.migrate();
      d.start();
      JdbcJobStore store = db.jobStore();
      String key = ApiKeySecrets.generate();
      store.createKey(tenant, "python", ApiKeySecrets.sha256Hex(key));
      Thread worker = new Thread(() -> finishQueued(db, store, objects, tenant), "py-worker");
      worker.setDaemon(true);
      worker.start();

      ProcessBuilder pb =
          new ProcessBuilder("python3", Path.of("src/test/python/drive_farm.py").toString())
              .redirectErrorStream(true);
      pb.environment()
          .put("PYTHONPATH", Path.of("target/generated/python").toAbsolutePath().toString());
      pb.environment().put("FARM_URL", d.baseUrl());
      pb.environment().put("FARM_KEY", key);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "python3 did not finish");
      worker.interrupt();
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.contains("python client: OK"), out);
    }
  }

  /** A stand-in worker: claims and succeeds every queued job of {@code tenant}. */
  private static void finishQueued(
      Database db, JdbcJobStore store, S3ObjectStore objects, String tenant) {
    try {
      byte[] png = png();
      while (!Thread.currentThread().isInterrupted()) {
        for (UUID id : queued(db, tenant)) {
          String k = "results/" + id + "/1/0.png";
          objects.put(k, png, "image/png");
          Lease lease = store.claim(id, "py-worker", Duration.ofMinutes(1)).orElse(null);
          if (lease != null) {
            store.succeed(lease, new JobResult(List.of(ResultImage.stored(k, 8, 8, 1, png))));
          }
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<UUID> queued(Database db, String tenant) throws Exception {
    List<UUID> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT id FROM jobs WHERE tenant = ? AND status = 'queued'")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return out;
  }

  private static byte[] png() throws Exception {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
