package io.cascadefarm.dispatcher.http;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An OutputStream onto a chunked HTTP response, for a writer on a blocking thread: bytes are
 * gathered into chunks of {@value #CHUNK} bytes, each written on the response's context, and the
 * writer waits while the response's write queue is full (until it drains). Memory per stream is
 * thus one chunk plus the write queue, whatever is streamed. A client that goes away (or reads
 * nothing for {@value #STALL_SECONDS} s) makes the next write throw.
 */
final class ResponseStream extends OutputStream {
  static final int CHUNK = 64 * 1024;
  static final int STALL_SECONDS = 120;

  private final HttpServerResponse response;
  private final Context context;
  private final byte[] buf = new byte[CHUNK];
  private int n;
  private volatile boolean gone;

  ResponseStream(HttpServerResponse response, Context context) {
    this.response = response;
    this.context = context;
    response.closeHandler(v -> gone = true);
  }

  @Override
  public void write(int b) throws IOException {
    if (n == buf.length) {
      flushChunk();
    }
    buf[n++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (n == buf.length) {
        flushChunk();
      }
      int k = Math.min(len, buf.length - n);
      System.arraycopy(b, off, buf, n, k);
      n += k;
      off += k;
      len -= k;
    }
  }

  @Override
  public void flush() throws IOException {
    flushChunk();
  }

  private void flushChunk() throws IOException {
    if (gone) {
      throw new IOException("the client closed the connection");
    }
    if (n == 0) {
      return;
    }
    Buffer chunk = Buffer.buffer(n).appendBytes(buf, 0, n);
    n = 0;
    CompletableFuture<Void> room = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          if (gone) {
            room.complete(null);
            return;
          }
          response.write(chunk);
          if (response.writeQueueFull()) {
            response.drainHandler(d -> room.complete(null));
          } else {
            room.complete(null);
          }
        });
    try {
      room.get(STALL_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (Exception e) {
      gone = true;
      throw new IOException("the client stopped reading", e);
    }
  }

  /** Writes what is left and ends the response. */
  void finish() throws IOException {
    flushChunk();
    context.runOnContext(
        v -> {
          if (!gone) {
            response.end();
          }
        });
  }

  /** Cuts the response after a failure mid-stream (the status line is already sent). */
  void abort() {
    context.runOnContext(v -> response.reset());
  }
}
