/**
 * The Vert.x HTTP layer of API v1: routes, body limits, JSON and error rendering, Server-Sent
 * Events, health, readiness, metrics and the OpenAPI document. Handlers are thin: blocking work
 * runs on Vert.x worker threads through the service classes.
 */
package io.cascadefarm.dispatcher.http;
