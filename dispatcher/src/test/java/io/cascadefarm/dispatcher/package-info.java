/**
 * Tests of the dispatcher as a whole: routes over real HTTP, hostile input, the OpenAPI document.
 */
package io.cascadefarm.dispatcher;
