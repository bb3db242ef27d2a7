/**
 * The identity filter's front end (official modules/cnet_modules/face_id/): InsightFace buffalo_l
 * SCRFD detector ({@code det_10g.onnx}, 320x320) and ArcFace recognizer ({@code w600k_r50.onnx},
 * 112x112 aligned crops), user-supplied ONNX files run on DJL's ONNX Runtime engine; decoding, NMS
 * and alignment in Java.
 */
package io.cascadefarm.cascade.pipeline.control.face;
