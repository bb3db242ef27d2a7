/** Tests of the CLIP encoders: key lists, a plain-Java reference forward, masking, caching. */
package io.cascadefarm.cascade.net.clip;
