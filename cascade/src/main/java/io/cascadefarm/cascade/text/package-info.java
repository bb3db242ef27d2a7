/**
 * CLIP tokenizer in pure Java: byte-level BPE over the {@code vocab.json}/{@code merges.txt} of the
 * Hugging Face {@code tokenizer/} folder of Stable Cascade, with the normalization,
 * pre-tokenization regex, special tokens, truncation and padding (to 77 with {@code <|endoftext|>},
 * official train/base.py get_conditions) of {@code CLIPTokenizerFast}. Entry point: {@link
 * io.cascadefarm.cascade.text.ClipTokenizer}.
 *
 * <p>Usage: {@code ClipTokenizer tok = ClipTokenizer.load(dir); TokenizedPrompt p = tok.encode("a
 * photo of a cat");} gives 77 ids ({@code BOS, tokens…, EOS, pad…}) and the attention mask. New
 * tokens (LoRA, e.g. {@code [fernando]}) are added with {@link
 * io.cascadefarm.cascade.text.ClipTokenizer#withAddedTokens}; they are matched in the normalized
 * text before BPE and get ids from the current vocabulary size on.
 */
package io.cascadefarm.cascade.text;
