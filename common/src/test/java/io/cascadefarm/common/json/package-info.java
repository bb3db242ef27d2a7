/** Tests of the JSON contracts. */
package io.cascadefarm.common.json;
