/** Integration tests of the job store and the database helper on a real embedded PostgreSQL. */
package io.cascadefarm.db;
