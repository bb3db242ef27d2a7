/**
 * The model registry: where checkpoints live on disk (the Hugging Face repo layout), loading each
 * variant ({@code tiny}, {@code lite}, {@code big}) once per process and keeping it resident, and
 * the {@code tiny} preset with deterministic random weights for tests and smoke runs.
 */
package io.cascadefarm.cascade.model;
