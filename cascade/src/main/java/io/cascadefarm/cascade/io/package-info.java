/**
 * Streaming safetensors I/O: a reader that maps one tensor at a time (converting BF16/F16 to F32 in
 * Java before anything reaches DJL) and a small writer for tests and tooling.
 */
package io.cascadefarm.cascade.io;
