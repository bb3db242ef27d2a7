/**
 * Stage A: the f4 VQGAN of Stable Cascade ({@code modules/stage_a.py}) with its vector quantizer;
 * the decoder turns Stage B latents into RGB images.
 */
package io.cascadefarm.cascade.net.stagea;
