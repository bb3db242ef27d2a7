/**
 * Kafka topic contracts: topic names and the JSON messages carried on them (no Kafka classes here).
 */
package io.cascadefarm.common.topic;
