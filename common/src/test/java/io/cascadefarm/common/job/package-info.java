/** Tests of the job domain. */
package io.cascadefarm.common.job;
