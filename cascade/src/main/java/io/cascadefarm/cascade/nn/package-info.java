/**
 * A small module system mirroring PyTorch {@code state_dict} naming ({@link
 * io.cascadefarm.cascade.nn.Module}), a strict weight binder, and the functional ops (conv, norms,
 * attention, resampling, transposed-conv emulation) the Stable Cascade networks are built from.
 */
package io.cascadefarm.cascade.nn;
