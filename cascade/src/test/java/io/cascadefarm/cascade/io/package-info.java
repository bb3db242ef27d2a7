/** Tests of io.cascadefarm.cascade.io. */
package io.cascadefarm.cascade.io;
