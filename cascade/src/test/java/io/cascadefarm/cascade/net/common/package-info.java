/** Tests of io.cascadefarm.cascade.net.common. */
package io.cascadefarm.cascade.net.common;
