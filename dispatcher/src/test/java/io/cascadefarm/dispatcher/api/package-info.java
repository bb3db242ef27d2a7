/** Unit tests of body reading and validation. */
package io.cascadefarm.dispatcher.api;
