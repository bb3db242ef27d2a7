/**
 * Untrusted input formats shared by every process that reads them: image headers checked against
 * decoding limits before any decoder allocates ({@link io.cascadefarm.codec.image}), safetensors
 * header rules ({@link io.cascadefarm.codec.safetensors}) and LoRA metadata ({@link
 * io.cascadefarm.codec.lora}). The dispatcher validates uploads with the same code the workers (and
 * the CLI) read them with. Knows nothing of the farm.
 */
package io.cascadefarm.codec;
