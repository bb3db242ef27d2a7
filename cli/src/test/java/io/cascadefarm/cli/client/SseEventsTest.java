package io.cascadefarm.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventsTest {
  private static ByteArrayInputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsNamedEventsSkipsCommentsAndJoinsDataLines() throws Exception {
    List<SseEvents.Event> events = new ArrayList<>();
    String text =
        "retry: 3000\n\nevent: snapshot\ndata: {\"a\":1}\n\n: keep-alive\n\n"
            + "event: progress\ndata: line1\ndata: line2\n\ndata: plain\n\n";

    SseEvents.read(stream(text), e -> events.add(e));

    assertEquals(
        List.of(
            new SseEvents.Event("snapshot", "{\"a\":1}"),
            new SseEvents.Event("progress", "line1\nline2"),
            new SseEvents.Event("message", "plain")),
        events);
  }

  @Test
  void stopsWhenTheHandlerSaysSo() throws Exception {
    List<SseEvents.Event> events = new ArrayList<>();

    SseEvents.read(
        stream("data: 1\n\ndata: 2\n\ndata: 3\n\n"), e -> events.add(e) && events.size() < 2);

    assertEquals(2, events.size());
  }
}
