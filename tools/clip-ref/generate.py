#!/usr/bin/env python3
"""Writes the CLIP reference fixtures of cascade/src/test/resources/clip/reference/.

Run with Debian's python3 (torch 1.13, torchvision, numpy, regex, wcwidth); see README.md.
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--transformers", required=True, help="transformers checkout (has src/)")
    ap.add_argument("--clip", required=True, help="openai/CLIP checkout")
    ap.add_argument("--ftfy", required=True, help="rspeer/python-ftfy checkout")
    ap.add_argument("--classpath", required=True, help="classpath with ai.djl.huggingface:tokenizers")
    ap.add_argument("--out", required=True, help="output folder (clip/reference)")
    ap.add_argument("--merges", type=int, default=8000, help="BPE merges kept (default 8000)")
    ap.add_argument(
        "--sources",
        default="",
        help="text recorded in the fixtures about the source commits (README.md shows it)",
    )
    args = ap.parse_args()

    sys.path.insert(0, args.ftfy)
    import tokenizer_ref  # noqa: E402

    version, cases, differ = tokenizer_ref.generate(
        args.clip, args.merges, args.out, args.classpath, args.sources
    )
    print("tokenizer: %d prompts, HF tokenizers %s" % (cases, version))
    print("slow (OpenAI simple_tokenizer) differs on: %s" % json.dumps(differ, sort_keys=True))

    import hf_import  # noqa: E402
    import clip_models  # noqa: E402

    configuration, modeling = hf_import.load_modeling_clip(
        os.path.join(args.transformers, "src")
    )
    source = "transformers modeling_clip.py (eager attention, float64)" + (
        "; " + args.sources if args.sources else ""
    )
    manifest = clip_models.generate(
        modeling,
        configuration,
        args.out,
        os.path.join(args.out, "tokenizer_cases.json"),
        source,
    )
    for kind in ("text", "vision"):
        for m in manifest[kind]:
            print("%s: %s (%s)" % (kind, m["name"], m["class"]))


if __name__ == "__main__":
    main()
