#!/usr/bin/python3
"""Random parity fixtures from the OFFICIAL Stable Cascade code.

    /usr/bin/python3 tools/parity-gen/gen.py --seed N --out DIR [--official /tmp/official]
                                             [--kinds stage_c,sampler_b,...]

Writes, per seed, the fixtures ``g<seed>_<kind>`` (same file layout and JSON fields as the
developer set, plus ``tolerance`` and ``generator``) and updates ``DIR/index.json``.
Deterministic per seed (config, shape, weight and input draws); see README.md."""

import argparse
import json
import os
import sys
import time
import traceback

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import common  # noqa: E402
import official  # noqa: E402

KINDS = ["stage_c", "stage_c_lora", "stage_c_cnet", "stage_b", "stage_a", "effnet", "previewer",
         "controlnet", "sampler_c", "sampler_b"]
MAX_ATTEMPTS = 400


def attempt_loop(seed, kind, fn, log):
    last = None
    for attempt in range(MAX_ATTEMPTS):
        rng = common.rng_for(seed, kind, attempt)
        try:
            return fn(rng, attempt)
        except common.Reject as e:
            last = str(e)
        except (RuntimeError, ValueError, IndexError, ZeroDivisionError, AssertionError) as e:
            # the official code refused this draw (shape/config error): redraw
            last = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
        log(f"  {kind} attempt {attempt} rejected: {last}")
    raise SystemExit(f"seed {seed} kind {kind}: no valid draw in {MAX_ATTEMPTS} attempts "
                     f"(last: {last})")


def sampler_set(p, kind, seed, attempt, rng, margin):
    """A sampler fixture plus the two model fixtures it names (drawn together: the diffusion
    model must map x to the same shape and the decoder must take its latent channels)."""
    import kinds
    import samplers

    if kind == "sampler_c":
        n_m, n_d = p + "sampler_c_stage_c", p + "sampler_c_previewer"
        fxm, model, cfg = kinds.stage_c_fixture(n_m, seed, attempt, rng, margin, square_io=True,
                                                size_budget=50000)
        fxd, dec, _ = kinds.previewer_fixture(n_d, seed, attempt, rng, margin, c_in=cfg["c_out"])
        nets = {"stage_c": (n_m, model), "previewer": (n_d, dec)}
        role = "stage_c"
    else:
        n_m, n_d = p + "sampler_b_stage_b", p + "sampler_b_stage_a"
        fxm, model, cfg = kinds.stage_b_fixture(n_m, seed, attempt, rng, margin, square_io=True,
                                                size_budget=50000)
        fxd, dec, _ = kinds.stage_a_fixture(n_d, seed, attempt, rng, margin, c_latent=cfg["c_out"])
        nets = {"stage_b": (n_m, model), "stage_a": (n_d, dec)}
        role = "stage_b"
    model._parity_cfg = cfg
    fxs = samplers.sampler_fixture(p + kind, seed, attempt, rng, margin, role, nets)
    return [fxm, fxd, fxs]


def generate(seed, out_dir, kinds_wanted, margin, log):
    import kinds
    import samplers

    written = []

    def emit(fx):
        j = fx.write(out_dir)
        written.append((fx, j))
        log(f"  wrote {fx.name}: worst fp32-vs-fp64 / ulp sensitivity {fx.max_error():.2e} "
            f"(tol {fx.tolerance:g}, "
            f"attempt {fx.generator['attempt']})")
        return j

    p = f"g{seed}_"
    base = None
    if "stage_c" in kinds_wanted or "stage_c_lora" in kinds_wanted:
        fx, model, cfg = attempt_loop(seed, "stage_c", lambda rng, a: kinds.stage_c_fixture(
            p + "stage_c", seed, a, rng, margin), log)
        emit(fx)
        base = (fx.name, model, cfg)
    if "stage_c_lora" in kinds_wanted:
        emit(attempt_loop(seed, "stage_c_lora", lambda rng, a: kinds.stage_c_lora_fixture(
            p + "stage_c_lora", seed, a, rng, margin, *base), log))
    if "stage_c_cnet" in kinds_wanted:
        emit(attempt_loop(seed, "stage_c_cnet", lambda rng, a: kinds.stage_c_cnet_fixture(
            p + "stage_c_cnet", seed, a, rng, margin), log))
    if "stage_b" in kinds_wanted:
        emit(attempt_loop(seed, "stage_b", lambda rng, a: kinds.stage_b_fixture(
            p + "stage_b", seed, a, rng, margin)[0], log))
    if "stage_a" in kinds_wanted:
        emit(attempt_loop(seed, "stage_a", lambda rng, a: kinds.stage_a_fixture(
            p + "stage_a", seed, a, rng, margin)[0], log))
    if "effnet" in kinds_wanted:
        emit(attempt_loop(seed, "effnet", lambda rng, a: kinds.effnet_fixture(
            p + "effnet", seed, a, rng, margin), log))
    if "previewer" in kinds_wanted:
        emit(attempt_loop(seed, "previewer", lambda rng, a: kinds.previewer_fixture(
            p + "previewer", seed, a, rng, margin)[0], log))
    if "controlnet" in kinds_wanted:
        emit(attempt_loop(seed, "controlnet", lambda rng, a: kinds.controlnet_fixture(
            p + "controlnet", seed, a, rng, margin), log))
    for kind in ("sampler_c", "sampler_b"):
        if kind in kinds_wanted:
            for fx in attempt_loop(seed, kind, lambda rng, a, kind=kind: sampler_set(
                    p, kind, seed, a, rng, margin), log):
                emit(fx)
    return written


def update_index(out_dir, written, ns):
    path = os.path.join(out_dir, "index.json")
    index = {"set": "generated", "fixtures": {}}
    if os.path.isfile(path):
        with open(path) as f:
            index = json.load(f)
    index["generator"] = {
        "tool": "tools/parity-gen/gen.py", "format_version": common.FORMAT_VERSION,
        "torch": torch.__version__, "python": sys.version.split()[0],
        "mkldnn_enabled": torch.backends.mkldnn.enabled,
        "official_commits": official.COMMITS}
    for fx, j in written:
        index["fixtures"][fx.name] = {
            "kind": fx.kind, "seed": fx.generator["seed"], "attempt": fx.generator["attempt"],
            "tolerance": fx.tolerance,
            "max_fp32_vs_fp64": float("%.3g" % max(list(fx.errors.values()) + [0.0])),
            "max_r_ulp_sensitivity": float("%.3g" % max(list(fx.sensitivity.values()) + [0.0])),
            "files": sorted(set(j["files"].values()) | set(j.get("files_extra", {}).values())
                            | {fx.name + ".json"})}
    index["fixtures"] = dict(sorted(index["fixtures"].items()))
    with open(path, "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, action="append", required=True,
                    help="seed (repeatable)")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--official", default=os.environ.get("SC_OFFICIAL", "/tmp/official"),
                    help="directory holding StableCascade/ and pytorch-tools/ checkouts "
                         "(default $SC_OFFICIAL or /tmp/official)")
    ap.add_argument("--kinds", default=",".join(KINDS),
                    help="comma-separated subset of: " + ", ".join(KINDS))
    ap.add_argument("--margin", type=float, default=None,
                    help="refuse draws whose fp32-vs-fp64 error exceeds tolerance/margin "
                         "(default 8 for the 1e-5 families, 5 for the 1e-3 ones)")
    ap.add_argument("--allow-modified-official", action="store_true",
                    help="do not abort when the official files differ from the pinned commits")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    kinds_wanted = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = sorted(set(kinds_wanted) - set(KINDS))
    if unknown:
        raise SystemExit(f"unknown kinds {unknown}; choose from {KINDS}")

    # oneDNN miscomputes some convolutions on some AVX-512 hosts: the reference outputs must
    # not depend on it (ATen's native conv path instead); fixed thread count for determinism.
    torch.backends.mkldnn.enabled = False
    torch.set_num_threads(1)
    ns = official.load(args.official)
    official.verify(ns, args.allow_modified_official)
    import kinds
    kinds.NS = ns

    os.makedirs(args.out, exist_ok=True)
    log = (lambda m: None) if args.quiet else (lambda m: print(m, flush=True))
    for seed in args.seed:
        t0 = time.time()
        log(f"seed {seed}")
        written = generate(seed, args.out, kinds_wanted, args.margin, log)
        update_index(args.out, written, ns)
        log(f"seed {seed}: {len(written)} fixtures in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception:
        traceback.print_exc()
        sys.exit(2)
