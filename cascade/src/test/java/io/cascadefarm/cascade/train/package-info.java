/** Tests of the trainers. */
package io.cascadefarm.cascade.train;
