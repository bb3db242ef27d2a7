/** Tests of the Kafka publishers and topic creation against a real embedded KRaft broker. */
package io.cascadefarm.infra.kafka;
