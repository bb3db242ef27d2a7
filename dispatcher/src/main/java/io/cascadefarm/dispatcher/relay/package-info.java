/**
 * Background loops of the dispatcher: the outbox relay that carries committed jobs to Kafka until
 * acknowledged, and the lease reaper that re-queues jobs of dead workers.
 */
package io.cascadefarm.dispatcher.relay;
