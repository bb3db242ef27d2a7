/** Worker tests on the real embedded Kafka, PostgreSQL and S3 servers. */
package io.cascadefarm.worker;
