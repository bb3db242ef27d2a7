/** Tests of API-key authentication, tenant isolation and per-tenant limits, on real services. */
package io.cascadefarm.dispatcher.auth;
