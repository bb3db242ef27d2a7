#!/usr/bin/python3
"""Pipeline-control fixtures from the official Stable Cascade code (issue 18).

Runs the official gdf sampling loop (gdf/__init__.py GDF.sample with DDPMSampler / DDIMSampler)
on the tiny dev-set models of shared/parity (stage_c, stage_b, stage_a, previewer: official
classes, strict load_state_dict of their stored weights) with the controls the farm exposes, and
Debian's torch CPU randn for the torch-compatible noise. See README.md for what each fixture is.

    /usr/bin/python3 tools/pipeline-gen/gen.py --official /tmp/official \
        --parity /work/shared/parity --out cascade/src/test/resources/pipeline-fixtures
"""

import argparse
import hashlib
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official  # noqa: E402
import st  # noqa: E402

torch.backends.mkldnn.enabled = False  # some AMD hosts miscompute oneDNN convolutions
torch.set_num_threads(1)

TEXT_GRID_C = [1.0, 0.93, 0.8, 0.55, 0.2, 0.0]
TEXT_GRID_B = [1.0, 0.7, 0.35, 0.0]


class Capture:
    """Records every torch.randn / torch.randn_like draw (the values are torch's own)."""

    def __init__(self):
        self.draws = []
        self._randn, self._like = torch.randn, torch.randn_like

    def __enter__(self):
        def randn(*a, **k):
            t = self._randn(*a, **k)
            self.draws.append(t.clone())
            return t

        def randn_like(x, *a, **k):
            t = self._like(x, *a, **k)
            self.draws.append(t.clone())
            return t

        torch.randn, torch.randn_like = randn, randn_like
        return self

    def __exit__(self, *exc):
        torch.randn, torch.randn_like = self._randn, self._like


class Grid:
    """diffusers-style custom timesteps: gdf.sample builds its grid with torch.linspace(t_start,
    t_end, timesteps + 1); while active, that one call returns the caller's grid instead."""

    def __init__(self, grid):
        self.grid = grid
        self._linspace = torch.linspace

    def __enter__(self):
        grid, real = self.grid, self._linspace

        def linspace(start, end, steps, *a, **k):
            if steps == len(grid) and float(start) == grid[0] and float(end) == grid[-1]:
                return torch.tensor(grid, dtype=torch.float32)
            return real(start, end, steps, *a, **k)

        torch.linspace = linspace
        return self

    def __exit__(self, *exc):
        torch.linspace = self._linspace


def load_models(ns, parity):
    def build(name, cls):
        cfg = json.load(open(os.path.join(parity, name + ".json")))["config"]
        model = cls(**cfg).eval()
        weights = st.read(os.path.join(parity, name + ".weights.safetensors"))
        model.load_state_dict(weights, strict=True)
        return model

    return {
        "stage_c": build("stage_c", ns.stage_c.StageC),
        "stage_b": build("stage_b", ns.stage_b.StageB),
        "stage_a": build("stage_a", ns.stage_a.StageA),
        "previewer": build("previewer", ns.previewer.Previewer),
    }


def make_gdf(ns):
    g = ns.gdf
    return g.GDF(schedule=g.CosineSchedule(clamp_range=[0.0001, 0.9999]), input_scaler=g.VPScaler(),
                 target=g.EpsilonTarget(), noise_cond=g.CosineTNoiseCond(), loss_weight=g.P2LossWeight())


def conditions_c(gen, batch, images=1):
    cond = {"clip_text": torch.randn(batch, 6, 32, generator=gen),
            "clip_text_pooled": torch.randn(batch, 1, 32, generator=gen),
            "clip_img": torch.randn(batch, images, 24, generator=gen)}
    uncond = {"clip_text": torch.randn(batch, 6, 32, generator=gen),
              "clip_text_pooled": torch.randn(batch, 1, 32, generator=gen),
              "clip_img": torch.zeros(batch, images, 24)}
    return cond, uncond


def conditions_b(gen, effnet):
    b = effnet.shape[0]
    cond = {"effnet": effnet, "clip": torch.randn(b, 1, 32, generator=gen)}
    uncond = {"effnet": torch.zeros_like(effnet), "clip": torch.randn(b, 1, 32, generator=gen)}
    return cond, uncond


def run(ns, gdf, model, cond, uncond, shape, *, sampler, cfg, shift, steps, x_init=None,
        cfg_rho=0.7, grid=None, capture=True):
    """One official gdf.sample run; returns (sampled x0, per-step records, captured draws)."""
    smp = ns.gdf.DDIMSampler(gdf) if sampler == "ddim" else ns.gdf.DDPMSampler(gdf)
    kwargs = dict(sampler=smp, cfg=cfg, shift=shift, timesteps=steps, t_start=1.0,
                  cfg_rho=cfg_rho, x_init=x_init)
    ctx = Grid(grid) if grid is not None else None
    if grid is not None:
        kwargs.update(timesteps=len(grid) - 1, t_start=grid[0], t_end=grid[-1])
    records = []
    cap = Capture()
    with torch.no_grad(), cap:
        if ctx:
            ctx.__enter__()
        try:
            for x0, x, pred in gdf.sample(model, cond, shape, uncond, **kwargs):
                records.append((x0.clone(), x.clone(), pred.clone()))
        finally:
            if ctx:
                ctx.__exit__()
    return records[-1][0], records, cap.draws


def put_steps(out, records, draws, has_init):
    noise = draws[1:] if has_init else draws
    for k, (x0, x, pred) in enumerate(records):
        out[f"step{k}.x0"] = x0
        out[f"step{k}.x"] = x
        out[f"step{k}.noise"] = noise[k]


def sampler_fixture(name, ns, gdf, models, out_dir, role, cond, uncond, x_init, **kw):
    model = models[role]
    sampled, records, draws = run(ns, gdf, model, cond, uncond, tuple(x_init.shape), x_init=x_init, **kw)
    io = {f"cond.{k}": v for k, v in cond.items()}
    io.update({f"uncond.{k}": v for k, v in uncond.items()})
    io["x_init"] = x_init
    put_steps(io, records, draws, has_init=False)
    io["sampled"] = sampled
    with torch.no_grad():
        if role == "stage_c":
            io["preview"] = models["previewer"](sampled)
        else:
            io["image"] = models["stage_a"].decode(sampled).float()
    settings = {k: v for k, v in kw.items()}
    settings["steps"] = len(records)
    return io, {"role": role, "sampling": settings}


def torch_randn_fixture():
    cases = []
    tensors = {}
    plan = [(0, [(1, 16, 24, 24)]), (7, [(37,), (2, 3, 7), (1, 16, 3, 5)]),
            (42, [(1, 16, 4, 4), (5,) * 0 or (1, 4, 256, 256), (33,)]),
            (2 ** 32 + 7, [(1, 16, 12, 10)]), (2 ** 63 - 1, [(1, 4, 32, 16)])]
    for seed, shapes in plan:
        torch.manual_seed(seed)
        for i, shape in enumerate(shapes):
            t = torch.randn(*shape)
            key = f"seed{seed}.draw{i}"
            raw = t.contiguous().numpy().astype("<f4").tobytes()
            case = {"seed": seed, "draw": i, "shape": list(shape), "key": key,
                    "sha256": hashlib.sha256(raw).hexdigest()}
            if t.numel() <= 10000:
                tensors[key] = t
            cases.append(case)
    return tensors, cases


def saliency_fixture(args):
    """The official MicroResNet (modules/cnet_modules/inpainting/saliency_model.py) with random
    weights, saved the way the official saliency_model.pt is (torch.save, legacy non-zip format),
    with the sha256 of every tensor's float32 bytes."""
    sys.path.insert(0, os.path.join(args.official, "StableCascade"))
    from modules.cnet_modules.inpainting.saliency_model import MicroResNet
    g = torch.Generator().manual_seed(20251810)
    net = MicroResNet()
    sd = net.state_dict()
    for k in sd:
        sd[k] = torch.randn(sd[k].shape, generator=g) * 0.1
    path = os.path.join(args.out, "saliency_legacy.pt")
    torch.save(sd, path, _use_new_zipfile_serialization=False)
    back = torch.load(path)
    info = {k: {"shape": list(v.shape),
                "sha256": hashlib.sha256(v.contiguous().numpy().astype("<f4").tobytes()).hexdigest()}
            for k, v in back.items()}
    json.dump({"fixture": "saliency_legacy", "what": "official MicroResNet state_dict with random "
               "weights saved by torch.save(..., _use_new_zipfile_serialization=False), the format "
               "of the official saliency_model.pt", "tensors": info},
              open(os.path.join(args.out, "saliency_legacy.json"), "w"), indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--official", default="/tmp/official")
    ap.add_argument("--parity", default="/work/shared/parity")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    ns = official.load(args.official)
    models = load_models(ns, args.parity)
    gdf = make_gdf(ns)
    os.makedirs(args.out, exist_ok=True)
    index = {"generator": "tools/pipeline-gen/gen.py", "torch": torch.__version__,
             "cpu_capability": [l.strip() for l in torch.__config__.show().splitlines()
                                if "CPU capability" in l],
             "official": "Stability-AI/StableCascade 7a7d341f (gdf/, modules/ unmodified)",
             "models": "shared/parity dev set: stage_c, stage_b, stage_a, previewer (weights + config)",
             "mkldnn": False, "fixtures": {}}

    def save(name, io, meta):
        st.write(os.path.join(args.out, name + ".safetensors"), io)
        meta = dict(meta, fixture=name, tensors={k: list(v.shape) for k, v in io.items()})
        json.dump(meta, open(os.path.join(args.out, name + ".json"), "w"), indent=1)
        index["fixtures"][name] = meta.get("what", "")

    gen = torch.Generator().manual_seed(20251800)
    shape_c, shape_b = (2, 16, 12, 10), (2, 4, 32, 16)

    # --- Stage C: DDIM, custom timesteps, rho off / other, several images ----------------------
    cond, uncond = conditions_c(gen, 2)
    x_c = torch.randn(*shape_c, generator=gen)
    torch.manual_seed(20251801)
    io, meta = sampler_fixture("ddim_c", ns, gdf, models, args.out, "stage_c", cond, uncond, x_c,
                               sampler="ddim", cfg=4.0, shift=2.0, steps=4)
    save("ddim_c", io, dict(meta, what="Stage C, DDIMSampler (eta 0; noise is drawn and multiplied by 0)"))

    torch.manual_seed(20251802)
    io, meta = sampler_fixture("timesteps_c", ns, gdf, models, args.out, "stage_c", cond, uncond, x_c,
                               sampler="ddpm", cfg=4.0, shift=2.0, steps=None, grid=TEXT_GRID_C)
    save("timesteps_c", io, dict(meta, what="Stage C, DDPM on a custom time grid"))

    torch.manual_seed(20251803)
    io, meta = sampler_fixture("rho_off_c", ns, gdf, models, args.out, "stage_c", cond, uncond, x_c,
                               sampler="ddpm", cfg=4.0, shift=2.0, steps=3, cfg_rho=0.0)
    save("rho_off_c", io, dict(meta, what="Stage C, cfg_rho 0 (no std rescale)"))

    torch.manual_seed(20251804)
    io, meta = sampler_fixture("rho_c", ns, gdf, models, args.out, "stage_c", cond, uncond, x_c,
                               sampler="ddpm", cfg=4.0, shift=2.0, steps=3, cfg_rho=0.35)
    save("rho_c", io, dict(meta, what="Stage C, cfg_rho 0.35"))

    cond3, uncond3 = conditions_c(gen, 2, images=3)
    torch.manual_seed(20251805)
    io, meta = sampler_fixture("images_c", ns, gdf, models, args.out, "stage_c", cond3, uncond3, x_c,
                               sampler="ddpm", cfg=4.0, shift=2.0, steps=3)
    save("images_c", io, dict(meta, what="Stage C, clip_img of 3 images concatenated on dim 1 "
                                        "(uncond zeros of the same shape, as diffusers)"))

    # --- Stage B: custom timesteps + DDIM, decoder negative prompt --------------------------------
    effnet = torch.randn(*shape_c, generator=gen) * 3
    cond_b, uncond_b = conditions_b(gen, effnet)
    x_b = torch.randn(*shape_b, generator=gen)
    torch.manual_seed(20251806)
    io, meta = sampler_fixture("timesteps_b", ns, gdf, models, args.out, "stage_b", cond_b, uncond_b, x_b,
                               sampler="ddim", cfg=1.1, shift=1.0, steps=None, grid=TEXT_GRID_B)
    save("timesteps_b", io, dict(meta, what="Stage B, DDIM on a custom time grid"))

    neg = torch.randn(2, 1, 32, generator=gen)
    uncond_neg = {"effnet": uncond_b["effnet"], "clip": neg}
    torch.manual_seed(20251807)
    io, meta = sampler_fixture("negative_b", ns, gdf, models, args.out, "stage_b", cond_b, uncond_neg, x_b,
                               sampler="ddpm", cfg=2.0, shift=1.0, steps=3)
    io["empty.clip"] = uncond_b["clip"]
    save("negative_b", io, dict(meta, what="Stage B whose unconditional clip is the negative prompt's "
                                            "pooled embedding (diffusers StableCascadeDecoderPipeline "
                                            "negative_prompt); empty.clip = the empty prompt's"))

    # --- prior-only, then decoder-only on the stored latents ----------------------------------
    cond1 = {k: v[:1] for k, v in cond.items()}
    uncond1 = {k: v[:1] for k, v in uncond.items()}
    torch.manual_seed(20251808)
    sampled_c, rec_c, draws_c = run(ns, gdf, models["stage_c"], cond1, uncond1, (1, 16, 12, 10),
                                    x_init=x_c[:1], sampler="ddpm", cfg=4.0, shift=2.0, steps=3)
    st.write(os.path.join(args.out, "roundtrip.latents.safetensors"), {"image_embeddings": sampled_c},
             {"what": "Stage C latents (x0 of the last step) as a prior job stores them"})
    stored = st.read(os.path.join(args.out, "roundtrip.latents.safetensors"))["image_embeddings"]
    cb, ub = conditions_b(gen, stored)
    xb1 = x_b[:1]
    torch.manual_seed(20251809)
    sampled_b, rec_b, draws_b = run(ns, gdf, models["stage_b"], cb, ub, (1, 4, 32, 16), x_init=xb1,
                                    sampler="ddpm", cfg=1.1, shift=1.0, steps=2)
    with torch.no_grad():
        image = models["stage_a"].decode(sampled_b).float()
    io = {f"c.cond.{k}": v for k, v in cond1.items()}
    io.update({f"c.uncond.{k}": v for k, v in uncond1.items()})
    io["c.x_init"] = x_c[:1]
    io.update({f"c.step{k}.noise": n for k, n in enumerate(draws_c)})
    io["sampled_c"] = sampled_c
    io["b.cond.clip"] = cb["clip"]
    io["b.uncond.clip"] = ub["clip"]
    io["b.x_init"] = xb1
    io.update({f"b.step{k}.noise": n for k, n in enumerate(draws_b)})
    io["sampled_b"] = sampled_b
    io["image"] = image
    save("roundtrip", io, {"what": "prior-only run (Stage C, 3 DDPM steps) whose x0 is written to "
                                   "roundtrip.latents.safetensors (tensor image_embeddings), read back, "
                                   "and decoded by a decoder-only run (Stage B, 2 steps) and Stage A",
                           "c": {"cfg": 4.0, "shift": 2.0, "steps": 3, "sampler": "ddpm"},
                           "b": {"cfg": 1.1, "shift": 1.0, "steps": 2, "sampler": "ddpm"}})

    # --- torch-compatible noise: the whole official pipeline on torch's global CPU generator --------
    seed = 1234
    cond1, uncond1 = conditions_c(gen, 1)
    cb_clip, ub_clip = torch.randn(1, 1, 32, generator=gen), torch.randn(1, 1, 32, generator=gen)
    torch.manual_seed(seed)
    sc, rec_c, draws_c = run(ns, gdf, models["stage_c"], cond1, uncond1, (1, 16, 12, 10),
                             sampler="ddpm", cfg=4.0, shift=2.0, steps=3)
    cb = {"effnet": sc, "clip": cb_clip}
    ub = {"effnet": torch.zeros_like(sc), "clip": ub_clip}
    sb, rec_b, draws_b = run(ns, gdf, models["stage_b"], cb, ub, (1, 4, 32, 16),
                             sampler="ddpm", cfg=1.1, shift=1.0, steps=2)
    with torch.no_grad():
        image = models["stage_a"].decode(sb).float()
    io = {f"c.cond.{k}": v for k, v in cond1.items()}
    io.update({f"c.uncond.{k}": v for k, v in uncond1.items()})
    io["c.x_init"] = draws_c[0]
    io.update({f"c.step{k}.noise": n for k, n in enumerate(draws_c[1:])})
    io["sampled_c"] = sc
    io["b.cond.clip"] = cb_clip
    io["b.uncond.clip"] = ub_clip
    io["b.x_init"] = draws_b[0]
    io.update({f"b.step{k}.noise": n for k, n in enumerate(draws_b[1:])})
    io["sampled_b"] = sb
    io["image"] = image
    save("torch_noise", io, {"what": "torch.manual_seed(seed); official Stage C then Stage B sampling with "
                                     "x_init=None, every draw from torch's global CPU generator "
                                     "(init_x = torch.randn, DDPM noise = torch.randn_like), as the "
                                     "notebooks run on a CPU; c.x_init/b.x_init = the initial noise",
                             "seed": seed,
                             "c": {"cfg": 4.0, "shift": 2.0, "steps": 3, "sampler": "ddpm"},
                             "b": {"cfg": 1.1, "shift": 1.0, "steps": 2, "sampler": "ddpm"}})

    saliency_fixture(args)

    tensors, cases = torch_randn_fixture()
    st.write(os.path.join(args.out, "torch_randn.safetensors"), tensors)
    json.dump({"fixture": "torch_randn", "what": "torch.manual_seed(seed) then torch.randn(shape) calls "
               "in order (draw i of a seed follows draw i-1); tensors of at most 10000 elements are "
               "stored, every one has the sha256 of its little-endian float32 bytes",
               "cases": cases}, open(os.path.join(args.out, "torch_randn.json"), "w"), indent=1)
    index["fixtures"]["torch_randn"] = "torch.randn after torch.manual_seed"
    json.dump(index, open(os.path.join(args.out, "index.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
