/** Tests of the ControlNet pipelines on the tiny preset and of the control filters' pieces. */
package io.cascadefarm.cascade.pipeline.control;
