/** Tests of the model registry, the checkpoint layout and the tiny preset files. */
package io.cascadefarm.cascade.model;
