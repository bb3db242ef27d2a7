/** Stage A parity, key-listing and tiny-preset tests (plus the shared manifest helper). */
package io.cascadefarm.cascade.net.stagea;
