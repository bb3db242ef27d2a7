package io.cascadefarm.db;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows into a running {@code COPY ... FROM STDIN (FORMAT csv)} in chunks of about 1 MiB, so
 * a 100,000-job batch never needs its whole CSV in memory. Text fields are always quoted; a Java
 * null becomes an unquoted empty field (SQL NULL).
 */
final class CsvCopy {
  private static final int CHUNK_CHARS = 1 << 20;

  private final CopyIn copy;
  private final StringBuilder buffer = new StringBuilder(CHUNK_CHARS + 4096);
  private boolean rowStarted;

  CsvCopy(CopyIn copy) {
    this.copy = copy;
  }

  CsvCopy text(String value) {
    separate();
    if (value != null) {
      buffer.append('"').append(value.replace("\"", "\"\"")).append('"');
    }
    return this;
  }

  CsvCopy raw(Object value) {
    separate();
    if (value != null) {
      buffer.append(value);
    }
    return this;
  }

  void endRow() throws SQLException {
    buffer.append('\n');
    rowStarted = false;
    if (buffer.length() >= CHUNK_CHARS) {
      flush();
    }
  }

  /** Sends the rest and ends the COPY; returns the number of rows the server stored. */
  long finish() throws SQLException {
    flush();
    return copy.endCopy();
  }

  /** Cancels a COPY that is still open after a failure, so the transaction can roll back. */
  void abort(Exception cause) {
    if (copy.isActive()) {
      try {
        copy.cancelCopy();
      } catch (SQLException e) {
        cause.addSuppressed(e);
      }
    }
  }

  private void separate() {
    if (rowStarted) {
      buffer.append(',');
    }
    rowStarted = true;
  }

  private void flush() throws SQLException {
    if (buffer.length() > 0) {
      byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
      copy.writeToCopy(bytes, 0, bytes.length);
      buffer.setLength(0);
    }
  }
}
