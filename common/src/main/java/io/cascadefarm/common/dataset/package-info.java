/** Training datasets: archives of images and captions. */
package io.cascadefarm.common.dataset;
