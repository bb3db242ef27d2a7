/** Unit tests of the outbox relay. */
package io.cascadefarm.dispatcher.relay;
