/**
 * The model hub client: which files of {@code stabilityai/stable-cascade} (and {@code
 * stable-cascade-prior}) a variant needs, resumable verified downloads from a Hugging Face
 * compatible endpoint (JDK {@code java.net.http} only), the local inventory and verification (size,
 * SHA-256 from cached hub metadata, and checkpoint keys/shapes against the network declarations).
 */
package io.cascadefarm.cli.hub;
