/** Safetensors header rules shared by the reader (workers, CLI) and the upload check. */
package io.cascadefarm.codec.safetensors;
