/** Tests of io.cascadefarm.cascade.net.stageb. */
package io.cascadefarm.cascade.net.stageb;
