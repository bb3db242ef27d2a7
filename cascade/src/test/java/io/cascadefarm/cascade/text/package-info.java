/** Tests of the CLIP tokenizer against a small hand-made vocabulary in CLIP's id layout. */
package io.cascadefarm.cascade.text;
