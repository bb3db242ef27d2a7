/** ControlNet parity (simple, canny full, SR full), key-listing and tiny-preset tests. */
package io.cascadefarm.cascade.net.controlnet;
