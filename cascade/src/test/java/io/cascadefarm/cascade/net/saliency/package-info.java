/** Tests of the saliency network port (key layout, padding, shapes). */
package io.cascadefarm.cascade.net.saliency;
