/**
 * Image uploads: format sniffing by magic bytes, size checks from the header before any pixel is
 * decoded (decompression bombs), re-encoding to PNG, content-addressed keys.
 */
package io.cascadefarm.dispatcher.upload;
