/**
 * The {@code farm} command line: standalone farm, dispatcher, worker, client commands, local
 * generation, models and network tools.
 */
package io.cascadefarm.cli;
