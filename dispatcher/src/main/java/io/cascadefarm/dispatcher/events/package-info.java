/**
 * Live job events: a source fed from the Kafka events topic (a consumer group of its own per
 * dispatcher instance) and a hub that fans each event out to the Server-Sent-Event subscribers of
 * its job and batch.
 */
package io.cascadefarm.dispatcher.events;
