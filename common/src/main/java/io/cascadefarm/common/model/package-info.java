/**
 * Fine-tuned models of tenants: where their weights and descriptions live in the object store
 * (written by the workers' training lane, read by the dispatcher and the render workers).
 */
package io.cascadefarm.common.model;
