/**
 * HTTP client commands against a running farm's API v1: {@code submit}, {@code status}, {@code
 * retry} and {@code cancel}.
 */
package io.cascadefarm.cli.client;
