/** Checks that the Docker, Compose and Kubernetes files agree with the code's configuration. */
package io.cascadefarm.deploy;
