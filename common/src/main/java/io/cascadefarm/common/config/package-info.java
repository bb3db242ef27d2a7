/**
 * Typed configuration: layered sources (env, properties file, flags) and one config record per
 * service, each key documented.
 */
package io.cascadefarm.common.config;
