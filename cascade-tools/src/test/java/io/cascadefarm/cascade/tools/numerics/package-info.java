/** Tests of the native-numerics guard: references, sweep, self-check, oneDNN cap. */
package io.cascadefarm.cascade.tools.numerics;
