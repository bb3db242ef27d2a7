/** Tests of the ONNX face front end with tiny ONNX graphs written by hand. */
package io.cascadefarm.cascade.pipeline.control.face;
