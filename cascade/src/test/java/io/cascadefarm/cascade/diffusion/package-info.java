/** Tests of io.cascadefarm.cascade.diffusion. */
package io.cascadefarm.cascade.diffusion;
