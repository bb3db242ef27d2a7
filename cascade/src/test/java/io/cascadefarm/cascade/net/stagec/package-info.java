/** Tests of io.cascadefarm.cascade.net.stagec. */
package io.cascadefarm.cascade.net.stagec;
