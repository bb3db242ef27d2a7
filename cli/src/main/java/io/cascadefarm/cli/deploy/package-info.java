/** {@code farm deploy}: files for running the farm with Docker Compose (secrets, GPU pinning). */
package io.cascadefarm.cli.deploy;
