/** Tests of the generation request/result types and of the pipeline on the tiny preset. */
package io.cascadefarm.cascade.pipeline;
