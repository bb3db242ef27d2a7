/** {@code farm workers list|drain|release}: the workers registry over the API (admin scope). */
package io.cascadefarm.cli.workers;
