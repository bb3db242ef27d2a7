/**
 * Signed webhooks (Standard Webhooks): signing secrets, the target guard against private addresses,
 * and the sender that delivers the deliveries the store queued with each transition.
 */
package io.cascadefarm.dispatcher.webhook;
