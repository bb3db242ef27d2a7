/** Worker-side LoRA files: uploaded LoRAs fetched from the object store and cached on disk. */
package io.cascadefarm.worker.lora;
