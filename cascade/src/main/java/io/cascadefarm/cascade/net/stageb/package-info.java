/** Stage B, the latent decoder ({@code modules/stage_b.py}), its configs and fixture adapter. */
package io.cascadefarm.cascade.net.stageb;
