#!/usr/bin/env bash
# Builds DJL 0.36's PyTorch JNI (libdjl_torch.so) against the libtorch of this machine, e.g. the
# PyTorch (CUDA) installed in its Python:   build-jni.sh [TORCH_DIR] [OUT]
#   TORCH_DIR: a libtorch or torch package dir (default: python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')
# Needs cmake, ninja (or make), a C++17 compiler, and the pack's djl-jni-src/ and runtime/include
# (pack.sh). Then run the farm with PYTORCH_LIBRARY_PATH=$TORCH_DIR/lib and the built library
# copied there as 0.36.0-libdjl_torch.so (DJL looks for <djl version>-libdjl_torch.so beside libtorch).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
torch="${1:-$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')}"
out="${2:-$here/jni-build}"
src="$here/djl-jni-src/engines/pytorch/pytorch-native"
[[ -d "$src" ]] || { echo "no $src: run pack.sh with a DJL git dir" >&2; exit 1; }
jinc="$here/runtime/include"
cuda=OFF; [[ -n "$(ls "$torch"/lib/libtorch_cuda.so 2>/dev/null)" ]] && cuda=ON
gen=(); command -v ninja > /dev/null && gen=(-G Ninja)
cmake -S "$src" -B "$out" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$torch/share/cmake;$torch" \
  -DJAVA_INCLUDE_PATH="$jinc" -DJAVA_INCLUDE_PATH2="$jinc/linux" \
  -DJAVA_JVM_LIBRARY="$here/runtime/lib/server/libjvm.so" \
  -DUSE_CUDA=$([[ $cuda == ON ]] && echo 1 || echo 0) $([[ $cuda == ON ]] && echo -DUSE_CUDA=ON)
cmake --build "$out" -j "$(nproc)"
cp "$out/libdjl_torch.so" "$torch/lib/0.36.0-libdjl_torch.so"
echo "built $out/libdjl_torch.so -> $torch/lib/0.36.0-libdjl_torch.so (cuda $cuda)"
