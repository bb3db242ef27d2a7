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
 * ProgressThrottle}); when the client reads too slowly, progress events are dropped but status
 * events are always kept.
 */
final class SseStream implements EventSubscriber {
  static final int MAX_QUEUED = 1000;
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

  @Override
  public void deliver(JobEventMessage e) {
    context.runOnContext(v -> onEvent(e));
  }

  private void onEvent(JobEventMessage e) {
    if (closed) {
      return;
    }
    if (!open) {
      if (early.size() < MAX_QUEUED) {
        early.add(e);
      }
      return;
    }
    boolean progress = JobEventMessage.PROGRESS.equals(e.type());
    if (progress && (response.writeQueueFull() || !throttle.admit(e))) {
      return;
    }
    write(e.type() == null ? "message" : e.type(), Json.toJson(e));
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
    if (open && !closed) {
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
