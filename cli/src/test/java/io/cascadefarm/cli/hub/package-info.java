/** Tests of the model hub client against a local HTTP server (never the internet). */
package io.cascadefarm.cli.hub;
