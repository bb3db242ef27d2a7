package io.cascadefarm.worker.render;

import io.cascadefarm.common.job.LivePreview;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a retried job succeeded, deletes the result objects of its earlier attempts: PNGs a worker
 * uploaded under {@code results/<job>/<epoch>/} before it died or lost its lease. They are never
 * referenced (the job points at the succeeded attempt only), so they are only storage. Best effort:
 * a failure is logged and leaves them, and a zombie worker still uploading after the sweep leaves
 * its objects too. First claims have nothing to sweep and cost no call.
 */
public final class DeadAttemptSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(DeadAttemptSweeper.class);
  private final ObjectStore objects;
  private final WorkerMetrics metrics;

  public DeadAttemptSweeper(ObjectStore objects, WorkerMetrics metrics) {
    this.objects = objects;
    this.metrics = metrics;
  }

  /**
   * Deletes every object under {@code results/<job>/} not of the succeeded claim {@code keptEpoch}
   * (result keys carry the lease epoch, see {@link ResultUploader}), except the job's live preview
   * ({@link LivePreview#key}), which expires with the results.
   */
  public void sweep(UUID jobId, long keptEpoch) {
    if (keptEpoch <= 1) {
      return;
    }
    String prefix = "results/" + jobId + "/";
    String kept = prefix + keptEpoch + "/";
    try {
      String preview = LivePreview.key(jobId);
      List<String> dead =
          objects.list(prefix).stream()
              .filter(k -> !k.startsWith(kept) && !k.equals(preview))
              .toList();
      dead.forEach(objects::delete);
      if (!dead.isEmpty()) {
        metrics.deadAttemptObjectsDeleted(dead.size());
        LOG.info("job {}: deleted {} result objects of earlier attempts", jobId, dead.size());
      }
    } catch (RuntimeException e) {
      LOG.warn("job {}: cannot delete earlier attempts' objects: {}", jobId, e.toString());
    }
  }
}
