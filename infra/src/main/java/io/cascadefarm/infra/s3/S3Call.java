package io.cascadefarm.infra.s3;

/** One MinIO SDK call, which may throw any of the SDK's checked exceptions. */
@FunctionalInterface
interface S3Call<T> {
  T run() throws Exception;
}
