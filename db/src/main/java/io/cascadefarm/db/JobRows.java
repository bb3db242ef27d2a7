package io.cascadefarm.db;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.TransitionRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;

/** Maps result-set rows (by column name) to domain records. */
final class JobRows {
  private JobRows() {}

  static Job job(ResultSet rs) throws SQLException {
    return new Job(
        rs.getObject("id", UUID.class),
        rs.getObject("batch_id", UUID.class),
        rs.getString("tenant"),
        JobStatus.fromWire(rs.getString("status")),
        JsonColumns.read(rs.getString("params"), JobParams.class),
        rs.getInt("attempts"),
        rs.getInt("max_attempts"),
        rs.getLong("epoch"),
        JsonColumns.read(rs.getString("progress"), JobProgress.class),
        JsonColumns.read(rs.getString("result"), JobResult.class),
        JsonColumns.read(rs.getString("error"), JobError.class),
        rs.getString("worker"),
        instant(rs, "lease_expires_at"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"));
  }

  static TransitionRecord transition(ResultSet rs) throws SQLException {
    String from = rs.getString("from_status");
    String event = rs.getString("event");
    return new TransitionRecord(
        rs.getObject("job_id", UUID.class),
        from == null ? null : JobStatus.fromWire(from),
        JobStatus.fromWire(rs.getString("to_status")),
        event == null ? null : JobEvent.valueOf(event.toUpperCase(Locale.ROOT)),
        instant(rs, "at"),
        rs.getString("worker"),
        rs.getString("reason"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
