/** Tests of the cascade renderer adapter with a stand-in generator. */
package io.cascadefarm.worker.cascade;
