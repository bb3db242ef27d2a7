package io.cascadefarm.infra.kafka;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends one record and turns the producer callback into a future. */
final class Sends {
  private Sends() {}

  static CompletableFuture<Void> send(
      Producer<String, byte[]> producer, ProducerRecord<String, byte[]> record) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              done.complete(null);
            } else {
              done.completeExceptionally(error);
            }
          });
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }
}
