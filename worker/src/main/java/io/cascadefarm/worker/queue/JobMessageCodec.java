package io.cascadefarm.worker.queue;

import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.topic.JobMessage;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes jobs-topic records. A record whose value is not a {@link JobMessage} but whose key is a
 * job id still yields a message (the batch key is then unknown); anything else is skipped.
 */
public final class JobMessageCodec {
  private static final Logger LOG = LoggerFactory.getLogger(JobMessageCodec.class);

  private JobMessageCodec() {}

  public static Optional<JobMessage> decode(String key, byte[] value) {
    try {
      JobMessage m = Json.fromBytes(value, JobMessage.class);
      if (m.jobId() != null) {
        return Optional.of(m.batchKey() == null ? new JobMessage(m.jobId(), "", m.triedBy()) : m);
      }
    } catch (RuntimeException e) {
      LOG.warn("undecodable job message (key {}): {}", key, e.getMessage());
    }
    try {
      return key == null ? Optional.empty() : Optional.of(new JobMessage(UUID.fromString(key), ""));
    } catch (IllegalArgumentException e) {
      LOG.warn("skipping job record with key '{}': neither value nor key names a job", key);
      return Optional.empty();
    }
  }

  public static byte[] encode(JobMessage message) {
    return Json.toBytes(message);
  }
}
