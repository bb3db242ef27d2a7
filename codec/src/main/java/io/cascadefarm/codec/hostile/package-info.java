/** Lying files for the hostile-input tests and the hostile run. */
package io.cascadefarm.codec.hostile;
