/**
 * The training lane: {@code train_lora} jobs, consumed from their own topic ({@code
 * <prefix>.jobs.train}) by a fixed number of training slots per worker process, trained with {@code
 * io.cascadefarm.cascade.train.LoraTrainer}, checkpointed to S3 and resumed on retry.
 */
package io.cascadefarm.worker.train;
