package io.cascadefarm.infra.s3;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.util.Set;

/** Classifies MinIO SDK exceptions: missing object, transient (retry), or permanent. */
final class S3Errors {
  private static final Set<String> TRANSIENT_CODES =
      Set.of("InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "Busy");
  private static final Set<String> MISSING_CODES = Set.of("NoSuchKey", "NoSuchObject");

  private S3Errors() {}

  static boolean isMissing(Exception e) {
    if (e instanceof ErrorResponseException er) {
      String code = er.errorResponse() == null ? null : er.errorResponse().code();
      return MISSING_CODES.contains(code)
          || (er.response() != null && er.response().code() == 404 && !"NoSuchBucket".equals(code));
    }
    return false;
  }

  static boolean isTransient(Exception e) {
    if (e instanceof IOException || e instanceof InvalidResponseException) {
      return true;
    }
    if (e instanceof ServerException se) {
      return se.statusCode() >= 500 || se.statusCode() == 429;
    }
    if (e instanceof ErrorResponseException er && er.errorResponse() != null) {
      return TRANSIENT_CODES.contains(er.errorResponse().code());
    }
    return false;
  }
}
