/** Tests of offset bookkeeping, message decoding and the poll loop (on Kafka's MockConsumer). */
package io.cascadefarm.worker.queue;
