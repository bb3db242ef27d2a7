/** The Previewer ({@code modules/previewer.py}): a fast Stage C latent to RGB preview decoder. */
package io.cascadefarm.cascade.net.previewer;
