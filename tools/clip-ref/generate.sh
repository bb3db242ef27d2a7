#!/usr/bin/env bash
# Regenerates cascade/src/test/resources/clip/reference/ from pinned commits of the reference
# implementations. Arguments: the git directories of the three fetched repositories (bare mirrors
# or clones); they are exported to a temporary folder outside the repository, never copied in.
#
#   tools/clip-ref/generate.sh <transformers.git> <CLIP.git> <python-ftfy.git>
#
# Needs Debian's python3 with python3-torch (1.13), python3-torchvision, python3-numpy,
# python3-regex and python3-wcwidth, and the Maven cache of this project (offline) for the
# ai.djl.huggingface:tokenizers classpath.
set -euo pipefail

TRANSFORMERS_COMMIT=d6751d91c8f58cdeb35af6adae182d7dc90aa883 # huggingface/transformers, 4.45.0.dev0
CLIP_COMMIT=d05afc436d78f1c48dc0dbf8e5980a9d471f35f6         # openai/CLIP
FTFY_COMMIT=5340af6746ff655a9cd7cb2b50c2fd0b35bb91d3         # rspeer/python-ftfy v6.3.1

if [ $# -ne 3 ]; then
  sed -n '2,11p' "$0"
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export_tree() { # git-dir commit target
  mkdir -p "$3"
  git --git-dir="$1" archive "$2" | tar -x -C "$3"
}
export_tree "$1" "$TRANSFORMERS_COMMIT" "$work/transformers"
export_tree "$2" "$CLIP_COMMIT" "$work/CLIP"
export_tree "$3" "$FTFY_COMMIT" "$work/ftfy"

(cd "$root" && ./mvnw -o -q -B -pl cascade dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath.txt" -Dmdep.includeScope=test)

out="$root/cascade/src/test/resources/clip/reference"
rm -rf "$out"
/usr/bin/python3 "$here/generate.py" \
  --transformers "$work/transformers" \
  --clip "$work/CLIP" \
  --ftfy "$work/ftfy" \
  --classpath "$(cat "$work/classpath.txt")" \
  --out "$out" \
  --sources "huggingface/transformers@$TRANSFORMERS_COMMIT, openai/CLIP@$CLIP_COMMIT, rspeer/python-ftfy@$FTFY_COMMIT"
ls -l "$out" "$out/tokenizer"; du -sb "$out"
