/**
 * Training on the port with DJL autograd: the LoRA trainer ({@code train/train_c_lora.py}
 * semantics) and the full fine-tuning of Stage C / Stage B ({@code train_c.py}, {@code
 * train_b.py}). The networks are the same {@code Module} classes the samplers run; a trainer binds
 * its own instance to the shared base weights and records a graph only inside a {@link
 * GradientScope} on its own thread, so inference never carries gradients.
 */
package io.cascadefarm.cascade.train;
