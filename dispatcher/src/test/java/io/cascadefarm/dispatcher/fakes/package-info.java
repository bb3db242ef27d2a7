/** In-memory fakes of the common ports, for unit and route tests of the dispatcher. */
package io.cascadefarm.dispatcher.fakes;
