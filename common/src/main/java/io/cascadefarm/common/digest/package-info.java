/** Content digests shared by the dispatcher, the workers and the CLI. */
package io.cascadefarm.common.digest;
