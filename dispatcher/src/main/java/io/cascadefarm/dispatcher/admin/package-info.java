/**
 * The dashboard's and operators' views (issue 13): the workers registry with drain/release, the
 * queue overview, a tenant's batches and a job's transitions, and the registry's retention sweep.
 */
package io.cascadefarm.dispatcher.admin;
