/** Tests of the client commands' parsing and formatting (no farm needed). */
package io.cascadefarm.cli.client;
