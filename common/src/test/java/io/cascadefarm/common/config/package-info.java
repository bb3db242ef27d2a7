/** Tests of configuration loading. */
package io.cascadefarm.common.config;
