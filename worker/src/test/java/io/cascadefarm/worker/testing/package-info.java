/** In-memory fakes of the farm's ports for the worker's unit tests, and a PNG-drawing renderer. */
package io.cascadefarm.worker.testing;
