/**
 * The inpainting filter's saliency network ({@code MicroResNet} of the official {@code
 * modules/cnet_modules/inpainting/saliency_model.py}) with the official state-dict keys.
 */
package io.cascadefarm.cascade.net.saliency;
