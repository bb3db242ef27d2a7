/** Unit tests of HTTP-layer helpers. */
package io.cascadefarm.dispatcher.http;
