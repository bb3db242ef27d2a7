package io.cascadefarm.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetBookTest {
  private final TopicPartition p0 = new TopicPartition("jobs", 0);
  private final TopicPartition p1 = new TopicPartition("jobs", 1);

  @Test
  void commitsUpToTheFirstUnsettledOffset() {
    OffsetBook book = new OffsetBook();
    book.received(p0, 5);
    book.received(p0, 6);
    book.received(p0, 7);
    book.settled(p0, 6);
    book.settled(p0, 7);
    assertTrue(book.committable(null).isEmpty()); // 5 is open: the position stays where it began
    book.settled(p0, 5);
    assertEquals(Map.of(p0, new OffsetAndMetadata(8)), book.committable(null));
  }

  @Test
  void onlyMovedPositionsAreCommittedAgain() {
    OffsetBook book = new OffsetBook();
    book.received(p0, 0);
    book.settled(p0, 0);
    Map<TopicPartition, OffsetAndMetadata> first = book.committable(null);
    book.committed(first);
    assertTrue(book.committable(null).isEmpty());
    book.received(p0, 1);
    assertTrue(book.committable(null).isEmpty());
    book.settled(p0, 1);
    assertEquals(Map.of(p0, new OffsetAndMetadata(2)), book.committable(null));
  }

  @Test
  void forgottenPartitionsIgnoreLateSettlements() {
    OffsetBook book = new OffsetBook();
    book.received(p0, 0);
    book.received(p1, 0);
    book.forget(List.of(p1));
    book.settled(p1, 0);
    book.settled(p0, 0);
    assertEquals(Map.of(p0, new OffsetAndMetadata(1)), book.committable(null));
    assertEquals(Map.of(), book.committable(List.of(p1)));
    assertEquals(0, book.open());
  }
}
