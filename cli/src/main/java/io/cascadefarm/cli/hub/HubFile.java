package io.cascadefarm.cli.hub;

/**
 * A file as the hub describes it.
 *
 * @param path path in the repo
 * @param size bytes
 * @param sha256 LFS SHA-256 (hex), or null for files stored in git
 * @param blobId git blob SHA-1 (hex), or null
 */
public record HubFile(String path, long size, String sha256, String blobId) {}
