/** Tests of io.cascadefarm.cascade.parity. */
package io.cascadefarm.cascade.parity;
