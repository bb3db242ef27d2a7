/** Tests of the gdf schedule maths and sampling loop against the parity fixtures. */
package io.cascadefarm.cascade.diffusion;
