package io.cascadefarm.dispatcher.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An NDJSON body split into lines as its bytes arrive ({@link #feed}), in bounded memory: only the
 * bytes of non-blank lines are kept (with their 1-based line numbers), blank lines are only
 * counted, and the job limit ({@code farm.api.max-jobs-per-batch}) and the blank-line limit are
 * checked line by line, so a body of 127 MiB of newlines costs a counter, not a list. The SHA-256
 * of every byte (for Idempotency-Key replays) is computed on the way.
 */
public final class NdjsonLines {
  /** Most blank lines accepted in one NDJSON body (besides the jobs). */
  public static final int MAX_BLANK_LINES = 10_000;

  private final int maxJobs;
  private final MessageDigest sha;
  private byte[] data = new byte[1024];
  private int size;
  private int[] starts = new int[64];
  private int[] ends = new int[64];
  private int[] lines = new int[64];
  private int count;
  private int lineNo;
  private int blank;
  private int lineStart; // start in data of the line being read
  private boolean lineHasContent;
  private String hex;

  public NdjsonLines(int maxJobs) {
    this.maxJobs = maxJobs;
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** All of {@code body} at once. */
  public static NdjsonLines of(byte[] body, int maxJobs) {
    NdjsonLines l = new NdjsonLines(maxJobs);
    l.feed(body, 0, body.length);
    l.finish();
    return l;
  }

  /**
   * Adds the next bytes of the body.
   *
   * @throws ApiException 400 naming {@code body} as soon as the job or blank-line limit is passed
   */
  public void feed(byte[] b, int off, int len) {
    sha.update(b, off, len);
    for (int i = off; i < off + len; i++) {
      byte c = b[i];
      if (c == '\n') {
        endLine();
        continue;
      }
      if (!lineHasContent && (c == ' ' || c == '\t' || c == '\r')) {
        continue; // leading white space of a line that may still be blank
      }
      lineHasContent = true;
      if (size == data.length) {
        data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, 2L * data.length));
      }
      data[size++] = c;
    }
  }

  /** The body is complete (a last line without a newline counts). */
  public void finish() {
    if (lineHasContent) {
      endLine();
    }
  }

  private void endLine() {
    lineNo++;
    if (!lineHasContent) {
      if (++blank > MAX_BLANK_LINES) {
        throw ApiException.invalidField(
            "body", "has more than " + MAX_BLANK_LINES + " blank lines: send one job per line");
      }
      lineStart = size;
      return;
    }
    if (count >= maxJobs) {
      throw ApiException.invalidField("body", "at most " + maxJobs + " jobs per batch");
    }
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, 2 * count);
      ends = Arrays.copyOf(ends, 2 * count);
      lines = Arrays.copyOf(lines, 2 * count);
    }
    int end = size;
    while (end > lineStart
        && (data[end - 1] == '\r' || data[end - 1] == ' ' || data[end - 1] == '\t')) {
      end--;
    }
    starts[count] = lineStart;
    ends[count] = end;
    lines[count] = lineNo;
    count++;
    lineStart = size;
    lineHasContent = false;
  }

  /** Bytes held (the non-blank lines). */
  public long retainedBytes() {
    return data.length + 12L * starts.length;
  }

  /** Number of non-blank lines. */
  public int count() {
    return count;
  }

  /** 1-based line number of non-blank line {@code i}. */
  public int line(int i) {
    return lines[i];
  }

  byte[] data() {
    return data;
  }

  int start(int i) {
    return starts[i];
  }

  int length(int i) {
    return ends[i] - starts[i];
  }

  /** Lower-case hex SHA-256 of the whole body (call after {@link #finish}). */
  public String sha256() {
    if (hex == null) {
      hex = HexFormat.of().formatHex(sha.digest());
    }
    return hex;
  }
}
