package io.cascadefarm.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cascadefarm.common.topic.JobMessage;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** train_lora jobs, first attempts and retries, go to the training lane; renders do not. */
class TrainingLaneRoutingTest {
  @Test
  void trainingJobsGoToTheTrainingTopic() throws Exception {
    MockProducer<String, byte[]> p =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    KafkaJobPublisher pub =
        new KafkaJobPublisher(p, "f.jobs", "f.jobs.retry").routingTrainingTo("f.jobs.train");
    pub.publish(new JobMessage(UUID.randomUUID(), "TRAIN_LORA|tiny|x")).get();
    pub.publish(new JobMessage(UUID.randomUUID(), "TRAIN_LORA|tiny|x", List.of("w1"))).get();
    pub.publish(new JobMessage(UUID.randomUUID(), "TEXT_TO_IMAGE|1024x1024|tiny")).get();
    pub.publish(new JobMessage(UUID.randomUUID(), "TEXT_TO_IMAGE|1024x1024|tiny", List.of("w1")))
        .get();
    assertEquals(
        List.of("f.jobs.train", "f.jobs.train", "f.jobs", "f.jobs.retry"),
        p.history().stream().map(r -> r.topic()).toList());
  }
}
