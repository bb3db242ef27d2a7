package io.cascadefarm.cascade.net.clip;

/** The transformer hyper-parameters shared by the text and the vision tower. */
record ClipTowerShape(
    long width, long intermediate, int layers, int heads, ClipActivation activation, float eps) {}
