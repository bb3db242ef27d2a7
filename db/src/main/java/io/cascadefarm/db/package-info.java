/**
 * PostgreSQL persistence of the farm: Flyway migrations, the pooled {@link
 * io.cascadefarm.db.Database} and {@link io.cascadefarm.db.JdbcJobStore}, a facade over one class
 * per concern (submits, reads, lease writes, user commands, reaper, outbox, tenant limits, API
 * keys) that together hold the store's SQL.
 */
package io.cascadefarm.db;
