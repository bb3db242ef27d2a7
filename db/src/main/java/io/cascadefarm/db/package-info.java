/**
 * PostgreSQL persistence of the farm: Flyway migrations, the pooled {@link
 * io.cascadefarm.db.Database} and {@link io.cascadefarm.db.JdbcJobStore}, the one class holding
 * SQL.
 */
package io.cascadefarm.db;
