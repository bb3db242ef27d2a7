#!/usr/bin/env bash
# Regenerates cascade/src/test/resources/train-parity/ from the official trainers.
#
#   tools/train-parity/generate.sh <StableCascade.git> <pytorch-tools.git> <transformers.git> \
#       <CLIP.git> <python-ftfy.git> <pytorch-gradual-warmup-lr.git>
#
# Arguments are git directories (bare mirrors are fine); their HEADs are exported to a temporary
# folder outside the repository and never copied in. Needs Debian's /usr/bin/python3 with
# python3-torch (1.13), python3-torchvision, python3-numpy, python3-regex, python3-wcwidth,
# python3-yaml, python3-tqdm.
set -euo pipefail
if [ $# -ne 6 ]; then sed -n '2,10p' "$0"; exit 2; fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export_head() { mkdir -p "$2"; git --git-dir="$1" archive HEAD $3 | tar -x -C "$2"; }
sc_paths=$(git --git-dir="$1" ls-tree -r --name-only HEAD | grep -E '^(modules|gdf|core|train|configs)/')
export_head "$1" "$work/official/StableCascade" "$sc_paths"
export_head "$2" "$work/official/pytorch-tools"
export_head "$3" "$work/official/transformers"
export_head "$4" "$work/official/CLIP"
export_head "$5" "$work/official/ftfy"
export_head "$6" "$work/official/warmup"
for i in 1 2 3 4 5 6; do echo "$(git --git-dir="${!i}" rev-parse HEAD)  ${!i}"; done
/usr/bin/python3 "$here/gen.py" --official "$work/official" --work "$work" \
  --out "$root/cascade/src/test/resources/train-parity"
