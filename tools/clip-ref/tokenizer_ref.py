"""Tokenizer fixture: a truncated real CLIP BPE vocabulary and reference token ids.

- vocab.json / merges.txt: the first N merges of OpenAI CLIP's bpe_simple_vocab_16e6.txt.gz (MIT),
  in Hugging Face's tokenizer/ layout. Ids 0..511+N are the real CLIP ids; the two special tokens
  follow (in the real file they are 49406 and 49407).
- expected ids: Hugging Face's Rust tokenizers (the backend of CLIPTokenizerFast, which Stable
  Cascade uses), configured exactly as transformers' CLIPConverter builds CLIP's tokenizer.json,
  run through FastTokenizerRef.java.
- slow ids: OpenAI CLIP's simple_tokenizer.py (ftfy + html.unescape cleanup), recorded where they
  differ from the fast ones.
"""

import gzip
import json
import os
import subprocess
import sys
import tempfile

import prompts as prompt_lists

CONTEXT = 77
BOS = "<|startoftext|>"
EOS = "<|endoftext|>"


def read_merges(bpe_gz, n_merges):
    lines = gzip.open(bpe_gz).read().decode("utf-8").split("\n")
    merges = lines[1 : 49152 - 256 - 2 + 1]  # as simple_tokenizer.py
    return [tuple(m.split()) for m in merges[:n_merges]]


def bytes_to_unicode():
    bs = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def build_vocab(merges):
    vocab = list(bytes_to_unicode().values())
    vocab = vocab + [v + "</w>" for v in vocab]
    vocab += ["".join(m) for m in merges]
    vocab += [BOS, EOS]
    return {tok: i for i, tok in enumerate(vocab)}


def write_hf_files(out_dir, vocab, merges):
    with open(os.path.join(out_dir, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(out_dir, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in merges:
            f.write(a + " " + b + "\n")


def tokenizer_json(vocab, merges):
    """What transformers' CLIPConverter (convert_slow_tokenizer.py) serializes, plus padding."""
    special = lambda tok: {  # noqa: E731
        "id": vocab[tok],
        "content": tok,
        "single_word": False,
        "lstrip": False,
        "rstrip": False,
        "normalized": True,
        "special": True,
    }
    return {
        "version": "1.0",
        "truncation": None,
        "padding": {
            "strategy": {"Fixed": CONTEXT},
            "direction": "Right",
            "pad_to_multiple_of": None,
            "pad_id": vocab[EOS],
            "pad_type_id": 0,
            "pad_token": EOS,
        },
        "added_tokens": [special(BOS), special(EOS)],
        "normalizer": {
            "type": "Sequence",
            "normalizers": [
                {"type": "NFC"},
                {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
                {"type": "Lowercase"},
            ],
        },
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {
                    "type": "Split",
                    "pattern": {
                        "Regex": "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"
                    },
                    "behavior": "Removed",
                    "invert": True,
                },
                {
                    "type": "ByteLevel",
                    "add_prefix_space": False,
                    "trim_offsets": True,
                    "use_regex": True,
                },
            ],
        },
        "post_processor": {
            "type": "RobertaProcessing",
            "sep": [EOS, vocab[EOS]],
            "cls": [BOS, vocab[BOS]],
            "trim_offsets": False,
            "add_prefix_space": False,
        },
        "decoder": {
            "type": "ByteLevel",
            "add_prefix_space": True,
            "trim_offsets": True,
            "use_regex": True,
        },
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": EOS,
            "continuing_subword_prefix": "",
            "end_of_word_suffix": "</w>",
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": [a + " " + b for a, b in merges],
        },
    }


def slow_ids(clip_src, bpe_gz_truncated, texts):
    """OpenAI CLIP simple_tokenizer: BOS + first 75 tokens + EOS, as clip.tokenize(truncate=True)."""
    sys.path.insert(0, os.path.join(clip_src, "clip"))
    import simple_tokenizer  # noqa: E402

    tok = simple_tokenizer.SimpleTokenizer(bpe_path=bpe_gz_truncated)
    bos, eos = tok.encoder[BOS], tok.encoder[EOS]
    out = []
    for t in texts:
        ids = tok.encode(t)[: CONTEXT - 2]
        out.append([bos] + ids + [eos])
    return out


def fast_ids(tokenizer_json_path, texts, classpath, work):
    prompts_path = os.path.join(work, "prompts.json")
    out_path = os.path.join(work, "fast.json")
    with open(prompts_path, "w", encoding="utf-8") as f:
        json.dump(texts, f, ensure_ascii=False)
    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.run(
        [
            "java",
            "-cp",
            classpath,
            os.path.join(here, "FastTokenizerRef.java"),
            tokenizer_json_path,
            prompts_path,
            out_path,
        ],
        check=True,
        env=dict(os.environ, DJL_CACHE_DIR=os.path.join(work, "djl-cache")),
    )
    with open(out_path, encoding="utf-8") as f:
        data = json.load(f)
    return data["version"], data["results"]


def generate(clip_src, n_merges, out_dir, classpath, sources=""):
    bpe_gz = os.path.join(clip_src, "clip", "bpe_simple_vocab_16e6.txt.gz")
    merges = read_merges(bpe_gz, n_merges)
    vocab = build_vocab(merges)
    tok_dir = os.path.join(out_dir, "tokenizer")
    os.makedirs(tok_dir, exist_ok=True)
    write_hf_files(tok_dir, vocab, merges)
    with open(os.path.join(clip_src, "LICENSE"), encoding="utf-8") as f:
        licence = f.read()
    with open(os.path.join(tok_dir, "NOTICE.txt"), "w", encoding="utf-8") as f:
        f.write(
            "vocab.json and merges.txt are the first %d merges of bpe_simple_vocab_16e6.txt.gz\n"
            "of OpenAI CLIP (the openai/CLIP repository), written in Hugging Face's tokenizer layout\n"
            "by tools/clip-ref. Its licence:\n\n" % n_merges
        )
        f.write(licence)

    cases = prompt_lists.all_prompts()
    texts = [t for _, t in cases]
    with tempfile.TemporaryDirectory() as work:
        truncated_gz = os.path.join(work, "bpe_truncated.txt.gz")
        with gzip.open(truncated_gz, "wt", encoding="utf-8") as f:
            f.write("#version: 0.2\n" + "\n".join(a + " " + b for a, b in merges))
        slow = slow_ids(clip_src, truncated_gz, texts)
        tj = os.path.join(work, "tokenizer.json")
        with open(tj, "w", encoding="utf-8") as f:
            json.dump(tokenizer_json(vocab, merges), f, ensure_ascii=False)
        version, fast = fast_ids(tj, texts, classpath, work)

    pad = vocab[EOS]
    rows = []
    differ = {}
    for (category, text), s, r in zip(cases, slow, fast):
        n = sum(r["mask"])
        ids = r["ids"][:n]
        assert r["ids"][n:] == [pad] * (CONTEXT - n), "fast padding is not <|endoftext|>"
        assert len(r["ids"]) == CONTEXT
        row = {"category": category, "prompt": text, "ids": ids}
        if s != ids:
            row["slow_ids"] = s
            differ[category] = differ.get(category, 0) + 1
        rows.append(row)
    fixture = {
        "about": "CLIP token ids of the prompts under tokenizer/ (first %d merges of OpenAI CLIP's "
        "BPE). ids: Hugging Face tokenizers %s (CLIPTokenizerFast backend, CLIPConverter "
        "config), truncation to %d with BOS/EOS, padding with <|endoftext|> (id %d) not "
        "stored. slow_ids: OpenAI CLIP simple_tokenizer.py (ftfy + html.unescape), only where "
        "they differ. Generated by tools/clip-ref from %s."
        % (n_merges, version, CONTEXT, pad, sources or "unrecorded sources"),
        "context_length": CONTEXT,
        "pad_id": pad,
        "cases": rows,
    }
    with open(os.path.join(out_dir, "tokenizer_cases.json"), "w", encoding="utf-8") as f:
        head = {k: v for k, v in fixture.items() if k != "cases"}
        f.write(json.dumps(head, ensure_ascii=False)[:-1] + ',\n"cases":[\n')
        f.write(",\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
        f.write("\n]}\n")
    return version, len(rows), differ
