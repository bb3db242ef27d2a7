/**
 * ControlNet pipelines (official modules/controlnet.py filters, inference/controlnet.ipynb):
 * control types, loading and caching of ControlNet weights per model variant, building the
 * ControlNet inputs (canny, inpaint, outpaint, super-resolution, face identity) and the Stage C
 * conditioning and start latent they imply.
 */
package io.cascadefarm.cascade.pipeline.control;
