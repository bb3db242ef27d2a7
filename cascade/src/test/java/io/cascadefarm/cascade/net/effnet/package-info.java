/** EfficientNet encoder parity (tiny and full), preprocessing, key-listing and preset tests. */
package io.cascadefarm.cascade.net.effnet;
