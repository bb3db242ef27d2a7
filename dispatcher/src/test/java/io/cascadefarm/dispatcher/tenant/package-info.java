/** Unit tests of the per-tenant limits on a fake clock. */
package io.cascadefarm.dispatcher.tenant;
