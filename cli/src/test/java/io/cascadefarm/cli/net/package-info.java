/** Tests of {@code farm net}: fixtures through the command line and key listings vs manifests. */
package io.cascadefarm.cli.net;
