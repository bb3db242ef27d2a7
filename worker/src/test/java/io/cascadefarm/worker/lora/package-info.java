/** Tests of the worker's LoRA cache and of the batch keys of ControlNet and LoRA jobs. */
package io.cascadefarm.worker.lora;
