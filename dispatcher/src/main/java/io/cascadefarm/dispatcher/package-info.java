/**
 * The dispatcher: HTTP API v1, outbox relay and lease reaper in one embeddable {@link
 * io.cascadefarm.dispatcher.Dispatcher}.
 */
package io.cascadefarm.dispatcher;
