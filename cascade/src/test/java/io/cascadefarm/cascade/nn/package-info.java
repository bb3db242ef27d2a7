/** Tests of io.cascadefarm.cascade.nn. */
package io.cascadefarm.cascade.nn;
