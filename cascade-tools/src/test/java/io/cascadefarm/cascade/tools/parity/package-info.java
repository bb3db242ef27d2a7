/** Tests of io.cascadefarm.cascade.tools.parity. */
package io.cascadefarm.cascade.tools.parity;
