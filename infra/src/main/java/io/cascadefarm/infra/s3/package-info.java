/** The S3/MinIO adapter of {@link io.cascadefarm.common.port.ObjectStore}. */
package io.cascadefarm.infra.s3;
