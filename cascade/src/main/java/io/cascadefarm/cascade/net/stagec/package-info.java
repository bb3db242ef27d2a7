/**
 * Stage C, the text-conditional prior ({@code modules/stage_c.py}), its configs and fixture
 * adapter.
 */
package io.cascadefarm.cascade.net.stagec;
