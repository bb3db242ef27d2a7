/** Unit tests of claiming, rendering, completing and retrying with fakes of the ports. */
package io.cascadefarm.worker.render;
