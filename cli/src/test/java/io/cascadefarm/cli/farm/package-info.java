/** Tests of the standalone options and the farm.properties file. */
package io.cascadefarm.cli.farm;
