/**
 * The EfficientNet "semantic compressor" ({@code modules/effnet.py}): a torchvision EfficientNetV2
 * feature backbone built from a stage table (official: EfficientNetV2-S), a 1x1 mapper with a
 * non-affine BatchNorm, and the image preprocessing (antialiased resize, ImageNet normalisation).
 */
package io.cascadefarm.cascade.net.effnet;
