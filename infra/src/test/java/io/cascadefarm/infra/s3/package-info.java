/** Tests of the S3 object store against a real embedded S3 endpoint (S3Proxy). */
package io.cascadefarm.infra.s3;
