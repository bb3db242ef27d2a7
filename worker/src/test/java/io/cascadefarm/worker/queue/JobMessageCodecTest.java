package io.cascadefarm.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.topic.JobMessage;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobMessageCodecTest {
  @Test
  void roundTrips() {
    JobMessage m = new JobMessage(UUID.randomUUID(), "k|tiny");
    assertEquals(m, JobMessageCodec.decode(null, JobMessageCodec.encode(m)).orElseThrow());
  }

  @Test
  void aBrokenValueFallsBackToTheKey() {
    UUID id = UUID.randomUUID();
    byte[] junk = "{not json".getBytes(StandardCharsets.UTF_8);
    assertEquals(new JobMessage(id, ""), JobMessageCodec.decode(id.toString(), junk).orElseThrow());
  }

  @Test
  void aRecordNamingNoJobIsSkipped() {
    assertTrue(JobMessageCodec.decode("nope", new byte[0]).isEmpty());
    assertTrue(JobMessageCodec.decode(null, null).isEmpty());
  }
}
