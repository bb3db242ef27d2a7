/** JSON mapping shared by every process: snake_case, ISO-8601 instants, no nulls. */
package io.cascadefarm.common.json;
