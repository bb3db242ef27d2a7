package io.cascadefarm.dispatcher.http;

import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import io.cascadefarm.dispatcher.api.NdjsonLines;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a request body in bounded memory, in place of Vert.x's BodyHandler: no form or multipart
 * decoding (the body is bytes whatever the Content-Type, so curl's default {@code
 * application/x-www-form-urlencoded} cannot make an upload fail), the per-route size limit checked
 * against Content-Length before a byte is read and again as bytes arrive (413 naming {@code body}),
 * a process-wide budget of body bytes held at once (429 with Retry-After when full), and a deadline
 * for the whole body (408). An NDJSON batch is split into lines as it arrives ({@link NdjsonLines}:
 * job and blank-line limits per line, blank lines not kept); a body refused on the way is read to
 * its end without being kept, then answered.
 */
final class RequestBody implements Handler<RoutingContext> {
  static final String BYTES = "farm.body.bytes";
  static final String NDJSON = "farm.body.ndjson";

  /** Longest time a client may take to send one body. */
  static final long DEADLINE_MS = 60_000;

  private final long limit;
  private final int maxJobs;
  private final Budget budget;
  private final Responses out;

  /** Bytes of request bodies the process holds at once. */
  static final class Budget {
    private final long max;
    private final AtomicLong held = new AtomicLong();

    Budget(long max) {
      this.max = max;
    }

    /** A third of the heap, at least 256 MiB: two bodies of the largest size fit in 1 GiB. */
    static Budget ofHeap() {
      return new Budget(Math.max(256L << 20, Runtime.getRuntime().maxMemory() / 3));
    }

    boolean tryReserve(long bytes) {
      if (bytes <= 0) {
        return true;
      }
      long now = held.addAndGet(bytes);
      if (now > max) {
        held.addAndGet(-bytes);
        return false;
      }
      return true;
    }

    void release(long bytes) {
      held.addAndGet(-bytes);
    }

    long held() {
      return held.get();
    }
  }

  /**
   * @param limit largest body in bytes
   * @param maxJobs jobs per NDJSON batch, or 0 when the route takes no NDJSON
   */
  RequestBody(long limit, int maxJobs, Budget budget, Responses out) {
    this.limit = limit;
    this.maxJobs = maxJobs;
    this.budget = budget;
    this.out = out;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    long declared = contentLength(req.getHeader("Content-Length"));
    if (declared > limit) {
      tooLarge(ctx);
      return;
    }
    boolean nd = maxJobs > 0 && BatchRoutes.isNdjson(req.getHeader("Content-Type"));
    Reader r = new Reader(ctx, nd ? new NdjsonLines(maxJobs) : null, declared);
    if (!nd && declared > 0 && !r.reserve(declared)) {
      busy(ctx);
      return;
    }
    ctx.addEndHandler(v -> r.releaseAll());
    if (req.isEnded()) {
      r.end();
      return;
    }
    long timer =
        ctx.vertx()
            .setTimer(
                DEADLINE_MS,
                t -> {
                  if (!r.done) {
                    r.done = true;
                    ctx.response().putHeader("Connection", "close");
                    out.error(
                        ctx,
                        refusal(408, "timeout", "was not received within " + DEADLINE_MS + " ms"));
                    req.connection().close();
                  }
                });
    req.handler(r::chunk);
    req.endHandler(
        v -> {
          ctx.vertx().cancelTimer(timer);
          r.end();
        });
    req.exceptionHandler(
        e -> {
          ctx.vertx().cancelTimer(timer);
          r.done = true;
        });
    req.resume();
  }

  private final class Reader {
    final RoutingContext ctx;
    final NdjsonLines lines;
    byte[] bytes;
    int size;
    long reserved;
    boolean done;
    ApiException refused;

    Reader(RoutingContext ctx, NdjsonLines lines, long declared) {
      this.ctx = ctx;
      this.lines = lines;
      this.bytes = lines != null ? null : new byte[(int) Math.max(0, Math.min(declared, limit))];
    }

    boolean reserve(long n) {
      if (budget.tryReserve(n)) {
        reserved += n;
        return true;
      }
      return false;
    }

    void releaseAll() {
      budget.release(reserved);
      reserved = 0;
      bytes = null;
    }

    void chunk(Buffer b) {
      if (done) {
        return;
      }
      int n = b.length();
      if ((long) size + n > limit) {
        done = true;
        tooLarge(ctx);
        return;
      }
      if (refused != null) {
        size += n; // read to the end, keep nothing
        return;
      }
      byte[] chunk = b.getBytes();
      if (lines != null) {
        long before = lines.retainedBytes();
        try {
          lines.feed(chunk, 0, n);
        } catch (ApiException e) {
          refused = e;
        }
        size += n;
        if (!reserve(lines.retainedBytes() - before)) {
          refused = busyRefusal();
        }
        return;
      }
      if (size + n > bytes.length) {
        int grown = (int) Math.min(limit, Math.max((long) size + n, 2L * bytes.length + 1024));
        if (!reserve(grown - bytes.length)) {
          refused = busyRefusal();
          size += n;
          return;
        }
        bytes = Arrays.copyOf(bytes, grown);
      }
      System.arraycopy(chunk, 0, bytes, size, n);
      size += n;
    }

    void end() {
      if (done) {
        return;
      }
      done = true;
      if (refused == null && lines != null) {
        try {
          lines.finish();
        } catch (ApiException e) {
          refused = e;
        }
      }
      if (refused != null) {
        out.error(ctx, refused);
        return;
      }
      if (lines != null) {
        ctx.put(NDJSON, lines);
      } else {
        ctx.put(BYTES, size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
      }
      ctx.next();
    }
  }

  private void tooLarge(RoutingContext ctx) {
    ctx.response().putHeader("Connection", "close");
    out.error(ctx, refusal(413, "too_large", "is larger than " + limit + " bytes"));
  }

  private void busy(RoutingContext ctx) {
    out.error(ctx, busyRefusal());
  }

  private static ApiException busyRefusal() {
    return new ApiException(
        429,
        "busy",
        "body cannot be accepted now: the dispatcher holds too many large bodies; retry shortly",
        List.of(
            new FieldError(
                "body", "cannot be accepted now: too many large bodies in flight; retry shortly")),
        2);
  }

  private static ApiException refusal(int status, String code, String message) {
    return new ApiException(
        status, code, "body " + message, List.of(new FieldError("body", message)), 0);
  }

  private static long contentLength(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
