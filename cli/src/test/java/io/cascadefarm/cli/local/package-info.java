/** Tests of {@code farm generate} (tiny preset) and {@code farm models} (local HTTP hub). */
package io.cascadefarm.cli.local;
