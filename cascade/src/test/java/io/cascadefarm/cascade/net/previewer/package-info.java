/** Previewer parity, trace, key-listing and tiny-preset tests. */
package io.cascadefarm.cascade.net.previewer;
