/**
 * API-key authentication: secrets ({@code cf_...}) are stored only as SHA-256, looked up through
 * the {@link io.cascadefarm.common.port.ApiKeyStore} port with a short cache, and every /v1 request
 * is answered 401 (with {@code WWW-Authenticate}) unless it carries a live key.
 */
package io.cascadefarm.dispatcher.auth;
