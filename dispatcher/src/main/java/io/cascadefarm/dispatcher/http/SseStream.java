package io.cascadefarm.dispatcher.http;

import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.topic.JobEventMessage;
import io.cascadefarm.dispatcher.events.EventSubscriber;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One Server-Sent-Events response. Events arrive on the Kafka thread and are written on the
 * response's Vert.x context. Until the snapshot is written, events are queued (at most {@value
 * #MAX_QUEUED}); progress is thinned to at most 2 events per second per job (see {@link
 * ProgressThrottle}); when the client reads too slowly, progress and preview events (the latter
 * paced by the worker already) are dropped. Status events are never dropped silently: when one
 * cannot be buffered (the write queue is full, or more than {@value #MAX_QUEUED} events wait to be
 * handed to the response), the stream sends a last {@code event: overflow} saying why and closes;
 * the client reconnects and reads the snapshot. Memory per stream is thus bounded by the write
 * queue and {@value #MAX_QUEUED} pending events.
 */
final class SseStream implements EventSubscriber {
  static final int MAX_QUEUED = 1000;
  private final java.util.concurrent.atomic.AtomicInteger pending =
      new java.util.concurrent.atomic.AtomicInteger();
  private Runnable onOverflow = () -> {};
  private final HttpServerResponse response;
  private final Context context;
  private final ArrayDeque<JobEventMessage> early = new ArrayDeque<>();
  private final ProgressThrottle throttle = new ProgressThrottle();
  private boolean open;
  private boolean closed;

  SseStream(HttpServerResponse response, Context context) {
    this.response = response;
    this.context = context;
  }

  /** Run once when the stream is dropped for overflow (unsubscribes it). */
  void onOverflow(Runnable r) {
    this.onOverflow = r;
  }

  @Override
  public void deliver(JobEventMessage e) {
    int n = pending.incrementAndGet();
    if (n > MAX_QUEUED) {
      pending.decrementAndGet();
      if (!e.droppable()) {
        context.runOnContext(v -> overflow("more than " + MAX_QUEUED + " events waiting"));
      }
      return;
    }
    context.runOnContext(
        v -> {
          pending.decrementAndGet();
          onEvent(e);
        });
  }

  private void onEvent(JobEventMessage e) {
    if (closed) {
      return;
    }
    boolean progress = JobEventMessage.PROGRESS.equals(e.type());
    if (!open) {
      if (early.size() < MAX_QUEUED) {
        early.add(e);
      } else if (!e.droppable()) {
        overflow("more than " + MAX_QUEUED + " events before the snapshot");
      }
      return;
    }
    if (e.droppable() && response.writeQueueFull()) {
      return;
    }
    if (progress && !throttle.admit(e)) {
      return;
    }
    if (response.writeQueueFull()) {
      overflow("the client reads too slowly");
      return;
    }
    write(e.type() == null ? "message" : e.type(), Json.toJson(e));
  }

  /** Drops the client: a last event saying why, then the connection is closed. */
  private void overflow(String why) {
    if (closed) {
      return;
    }
    closed = true;
    early.clear();
    onOverflow.run();
    if (open) {
      write(
          "overflow",
          Json.toJson(
              java.util.Map.of(
                  "reason", "stream closed: " + why + "; reconnect to read the current state")));
      response.end();
    }
    response.reset();
  }

  /** Sends headers and the snapshot, then the queued events; call on the response's context. */
  void open(String snapshotJson) {
    response
        .setChunked(true)
        .setStatusCode(200)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 3000\n\n");
    write("snapshot", snapshotJson);
    open = true;
    while (!early.isEmpty()) {
      onEvent(early.poll());
    }
  }

  void keepAlive() {
    if (open && !closed && !response.writeQueueFull()) {
      response.write(": keep-alive\n\n");
    }
  }

  void closed() {
    closed = true;
    early.clear();
  }

  private void write(String event, String json) {
    String data = "event: " + event + "\ndata: " + json.replace("\n", "\ndata: ") + "\n\n";
    response.write(io.vertx.core.buffer.Buffer.buffer(data.getBytes(StandardCharsets.UTF_8)));
  }
}
