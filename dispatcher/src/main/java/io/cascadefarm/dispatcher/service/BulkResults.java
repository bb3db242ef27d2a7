package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.ObjectStore;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A batch's results in bulk, streamed: {@code results.jsonl} (one line per job in submit order) and
 * {@code archive.zip} (that file plus every succeeded image, stored uncompressed since PNGs are
 * compressed already). Jobs are read in keyset pages of {@value #PAGE} and images one at a time, so
 * the memory used does not grow with the batch: one page of rows and one image.
 */
public final class BulkResults {
  static final int PAGE = 500;

  private final JobStore store;
  private final ObjectStore objects;
  private final JobQueries queries;

  public BulkResults(JobStore store, ObjectStore objects, JobQueries queries) {
    this.store = store;
    this.objects = objects;
    this.queries = queries;
  }

  /**
   * One image of a results line; {@code file} its name inside the archive; {@code bytes} and {@code
   * sha256} those of the stored object (absent for results stored before workers recorded them).
   */
  public record ImageLine(
      String key,
      String url,
      int width,
      int height,
      long seed,
      String file,
      Long bytes,
      String sha256) {}

  /** One line of results.jsonl. */
  public record ResultLine(
      int index,
      UUID id,
      String status,
      JobParams params,
      List<ImageLine> images,
      boolean expired,
      JobError error,
      int attempts,
      Instant createdAt,
      Instant finishedAt) {}

  /** Streams results.jsonl of the batch to {@code out}. */
  public void jsonl(UUID batch, String tenant, OutputStream out) throws IOException {
    forEachJob(batch, tenant, (i, j) -> writeLine(out, line(i, j, false)));
  }

  /** Streams the zip of the batch to {@code out}: results.jsonl, then images/. */
  public void zip(UUID batch, String tenant, OutputStream out) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    zip.setLevel(6);
    zip.putNextEntry(new ZipEntry("results.jsonl"));
    forEachJob(batch, tenant, (i, j) -> writeLine(zip, line(i, j, true)));
    zip.closeEntry();
    forEachJob(
        batch,
        tenant,
        (i, j) -> {
          if (j.status() != JobStatus.SUCCEEDED || j.result() == null || j.result().expired()) {
            return;
          }
          for (int n = 0; n < j.result().images().size(); n++) {
            String key = j.result().images().get(n).key();
            Optional<byte[]> png = StoreGuard.call("read image", () -> objects.get(key));
            if (png.isEmpty()) {
              continue;
            }
            byte[] bytes = png.get();
            ZipEntry e = new ZipEntry(fileOf(i, j, n));
            e.setMethod(ZipEntry.STORED);
            e.setSize(bytes.length);
            e.setCompressedSize(bytes.length);
            CRC32 crc = new CRC32();
            crc.update(bytes);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(bytes);
            zip.closeEntry();
          }
        });
    zip.finish();
    zip.flush();
  }

  private interface JobConsumer {
    void accept(int index, Job job) throws IOException;
  }

  private void forEachJob(UUID batch, String tenant, JobConsumer c) throws IOException {
    UUID after = null;
    int index = 0;
    while (true) {
      UUID from = after;
      List<Job> page =
          StoreGuard.call("list", () -> store.listBatchJobs(batch, tenant, null, PAGE, from));
      for (Job j : page) {
        c.accept(index++, j);
      }
      if (page.size() < PAGE) {
        return;
      }
      after = page.get(page.size() - 1).id();
    }
  }

  ResultLine line(int index, Job j, boolean files) {
    JobView v = queries.view(j);
    List<ImageLine> images = new ArrayList<>();
    boolean expired = false;
    if (v.result() != null) {
      expired = v.result().expired();
      for (int n = 0; n < v.result().images().size(); n++) {
        JobView.ImageView im = v.result().images().get(n);
        images.add(
            new ImageLine(
                im.key(),
                files ? null : im.url(),
                im.width(),
                im.height(),
                im.seed(),
                files && !expired ? fileOf(index, j, n) : null,
                im.bytes(),
                im.sha256()));
      }
    }
    return new ResultLine(
        index,
        j.id(),
        j.status().wire(),
        j.params(),
        images,
        expired,
        j.error(),
        j.attempts(),
        j.createdAt(),
        j.finishedAt());
  }

  /** The name of image {@code n} of job {@code j} (item {@code index}) in the archive. */
  static String fileOf(int index, Job j, int n) {
    return String.format("images/%06d-%s-%d.png", index, j.id(), n);
  }

  private static void writeLine(OutputStream out, ResultLine line) throws IOException {
    out.write(Json.toBytes(line));
    out.write('\n');
  }
}
