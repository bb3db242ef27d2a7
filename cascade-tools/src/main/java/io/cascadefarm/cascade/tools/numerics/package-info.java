/**
 * Trustworthy native numerics: the oneDNN instruction-set cap the farm applies before libtorch
 * computes anything ({@link io.cascadefarm.cascade.nn.OneDnnIsa}), float64 reference
 * implementations of every native op family the networks use ({@link
 * io.cascadefarm.cascade.tools.numerics.ReferenceOps}), probes that compare the two ({@link
 * io.cascadefarm.cascade.tools.numerics.OpProbe}) and the start-up self-check built from them
 * ({@link io.cascadefarm.cascade.tools.numerics.NumericsSelfCheck}). See docs/reliability.md,
 * "Numerics".
 */
package io.cascadefarm.cascade.tools.numerics;
