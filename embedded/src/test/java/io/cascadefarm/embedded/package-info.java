/** Tests that start the embedded Kafka, PostgreSQL and S3 servers for real and exercise them. */
package io.cascadefarm.embedded;
