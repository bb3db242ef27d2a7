/**
 * {@code farm keys create|list|revoke}: API keys managed directly in PostgreSQL (settings from
 * {@code --config farm.properties}); a secret is printed once and only its SHA-256 is stored.
 */
package io.cascadefarm.cli.keys;
