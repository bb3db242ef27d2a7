/** LoRA files as untrusted data: upload check and linear-time train_tokens regexes. */
package io.cascadefarm.codec.lora;
