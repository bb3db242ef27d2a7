/**
 * Local commands that need no farm: {@code farm generate} (renders with the cascade pipeline on
 * this machine) and {@code farm models} (pull, list, verify the Hugging Face weights).
 */
package io.cascadefarm.cli.local;
