#!/usr/bin/env bash
# The device check: one command on a machine with a GPU, about 10 minutes on one GPU.
#   deploy/gpu/check.sh                 # from a checkout with cli/target built, or from a pack
#   CHECK_DEVICE=cpu deploy/gpu/check.sh   # the same steps on CPU (what CI-less hosts can verify)
#   CHECK_DRY_RUN=1 deploy/gpu/check.sh    # prints the steps without running them (GpuCheckScriptTest)
# Steps: 1 engine-info --json, 2 numerics self-check on the device, 3 every parity fixture of
# cascade/src/test/resources/parity in fp32, and the networks precision `auto` reduces (Stage C,
# Stage B, Stage A, previewer) also in fp16 and bf16, each against its tolerance
# (Tolerances.forPrecision: fp16 1e-2, bf16 5e-2), 4 a tiny batch through a real standalone farm
# whose worker renders on the device, 5 `farm bench net` at lite sizes (c-lite, b-lite; tiny on CPU).
# Output: a log under $CHECK_OUT (default deploy/gpu/out) and a summary line per step; exit 1 if any
# step failed. Environment: FARM_JAVA (java launcher), FARM_CP (class path), CHECK_FIXTURES (max
# fixtures, default all), CHECK_BENCH_SIZES, CHECK_DRY_RUN.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${CHECK_ROOT:-$(cd "$here/../.." && pwd)}"
device="${CHECK_DEVICE:-gpu}"
out="${CHECK_OUT:-$here/out}"
mkdir -p "$out"
log="$out/check-$(date -u +%Y%m%dT%H%M%SZ).log"
java="${FARM_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
[[ -x "$root/runtime/bin/java" && -z "${FARM_JAVA:-}" ]] && java="$root/runtime/bin/java"
cp="${FARM_CP:-}"
if [[ -z "$cp" ]]; then
  if [[ -d "$root/lib" ]]; then cp="$root/farm-cli.jar:$root/lib/*"; else cp="$root/cli/target/farm-cli.jar:$root/cli/target/lib/*"; fi
fi
fixtures_dir="${CHECK_FIXTURE_DIR:-$root/cascade/src/test/resources/parity}"
[[ -d "$fixtures_dir" ]] || fixtures_dir="$root/parity"
if [[ "$device" == gpu ]]; then
  djl_device="gpu(0)"; bench_sizes="${CHECK_BENCH_SIZES:-c-lite,b-lite}"
  export PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cu128}" TORCH_ALLOW_TF32_CUBLAS_OVERRIDE="${TORCH_ALLOW_TF32_CUBLAS_OVERRIDE:-1}"
else
  djl_device="cpu"; bench_sizes="${CHECK_BENCH_SIZES:-c-tiny,b-tiny}"
fi
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
failed=0
farm() { "$java" ${FARM_JAVA_OPTS:--Xmx8g} -Dai.djl.offline=true -cp "$cp" io.cascadefarm.cli.FarmCommand "$@"; }
reduced="stage_c stage_b stage_a previewer"  # the networks `auto` computes in fp16/bf16 on a GPU
step() {  # step NAME command...
  local name="$1"; shift
  local t0=$SECONDS
  if [[ -n "${CHECK_DRY_RUN:-}" ]]; then echo "PLAN  $name: $*" | tee -a "$log"; return; fi
  echo "== $name: $*" >> "$log"
  if "$@" >> "$log" 2>&1; then
    echo "PASS  $name ($((SECONDS - t0)) s)" | tee -a "$log"
  else
    echo "FAIL  $name ($((SECONDS - t0)) s, see $log)" | tee -a "$log"; failed=1
  fi
}
echo "device check on $device ($djl_device), log $log" | tee "$log"
step "engine-info" farm net engine-info --json
if [[ "$device" == gpu && -z "${CHECK_DRY_RUN:-}" ]] && ! grep -q '"flavor" : "cu' "$log"; then
  echo "FAIL  engine-info: libtorch is not a CUDA build (see $log)" | tee -a "$log"; failed=1
fi
step "selfcheck $djl_device" farm net selfcheck --device "$djl_device"
n=0
for f in "$fixtures_dir"/*.json; do
  base="$(basename "$f" .json)"
  [[ "$base" == index || "$base" == *.hashinit ]] && continue
  n=$((n + 1)); [[ -n "${CHECK_FIXTURES:-}" && $n -gt $CHECK_FIXTURES ]] && break
  precisions="fp32"
  [[ " $reduced " == *" $base "* ]] && precisions="fp32 fp16 bf16"
  for p in $precisions; do
    step "parity $base $p" env FARM_JAVA_OPTS="${FARM_JAVA_OPTS:--Xmx8g} -Dfarm.parity.precision=$p" \
      "$java" ${FARM_JAVA_OPTS:--Xmx8g} -Dfarm.parity.precision=$p -Dai.djl.offline=true -cp "$cp" io.cascadefarm.cli.FarmCommand \
      net run --fixture "$f" --out "$out/parity/$base.$p.safetensors"
  done
done
step "tiny batch via standalone farm" "$here/farm-batch.sh" "$java" "$cp" "$out"
step "bench net $bench_sizes" farm bench net --sizes "$bench_sizes" --repeat 1
if [[ -n "${CHECK_DRY_RUN:-}" ]]; then echo "device check PLANNED (dry run: nothing ran)" | tee -a "$log"; exit 0; fi
[[ $failed == 0 ]] && echo "device check PASSED" | tee -a "$log" || echo "device check FAILED" | tee -a "$log"
exit $failed
