/** Tests of LoRA loading, target mapping, merging and ReToken rows. */
package io.cascadefarm.cascade.net.lora;
