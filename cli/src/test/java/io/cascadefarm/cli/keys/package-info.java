/** Tests of {@code farm keys} against the embedded PostgreSQL and a dispatcher with auth on. */
package io.cascadefarm.cli.keys;
