"""gdf sampler fixtures (sampler_c / sampler_b): the official GDF.sample + DDPMSampler loop on
tiny models of the same seed, with every DDPM noise draw captured for injection."""

import contextlib
import copy

import torch

import common
import kinds
from common import Fixture, Reject


def make_gdf():
    g = kinds.NS.gdf
    # train/train_c.py and train/train_b.py WurstCore.setup_extras_pre (loss weight unused here)
    return g.GDF(schedule=g.CosineSchedule(clamp_range=[0.0001, 0.9999]),
                 input_scaler=g.VPScaler(), target=g.EpsilonTarget(),
                 noise_cond=g.CosineTNoiseCond(), loss_weight=g.P2LossWeight())


@contextlib.contextmanager
def injected_randn_like(noises):
    """The DDPM step draws ``torch.randn_like(x0)``: hand out the recorded noises in order."""
    orig = torch.randn_like
    it = iter(noises)

    def fake(x, *args, **kwargs):
        n = next(it)
        if tuple(n.shape) != tuple(x.shape):
            raise RuntimeError(f"noise shape {tuple(n.shape)} != {tuple(x.shape)}")
        return n.to(x.dtype)

    torch.randn_like = fake
    try:
        yield
    finally:
        torch.randn_like = orig


def run_sampler(model, cond, uncond, x_init, noises, s, cast=None, perturb_r=False):
    """Runs gdf.sample; returns per-step records and the schedule tensors.  ``perturb_r`` (the
    sensitivity probe) shifts the model's r input by common.R_SHIFT."""
    cast = cast or (lambda t: t)
    gdf = make_gdf()
    calls = []

    def wrapped(x, r, **kw):
        rr = common.shift_r(r) if perturb_r else r
        out = model(cast(x), cast(rr), **{k: cast(v) for k, v in kw.items()})
        calls.append((x, r, out))
        return out

    steps = []
    with torch.no_grad(), injected_randn_like(noises):
        for x0, x, pred in gdf.sample(
                wrapped, {k: cast(v) for k, v in cond.items()}, tuple(x_init.shape),
                {k: cast(v) for k, v in uncond.items()},
                sampler=kinds.NS.gdf.DDPMSampler(gdf), x_init=cast(x_init), cfg=s["cfg"],
                shift=s["shift"], timesteps=s["timesteps"], t_start=s["t_start"],
                t_end=s["t_end"], cfg_rho=s["cfg_rho"]):
            steps.append({"x0": x0, "x": x, "pred": pred})
    for st, (mx, mr, mo) in zip(steps, calls):
        st.update({"model_in_x": mx, "model_in_r": mr, "model_out": mo})
    r_range = torch.linspace(s["t_start"], s["t_end"], s["timesteps"] + 1)
    logsnr = gdf.schedule(r_range, shift=s["shift"])
    sched = {"t_range": r_range, "logSNR_range": logsnr,
             "noise_cond_range": gdf.noise_cond(logsnr)}
    return steps, sched


def latent_size(rng, model, cfg, role):
    """A latent size the model maps onto itself (x - pred*b needs pred.shape == x.shape)."""
    for _ in range(30):
        if role == "stage_c":
            h, w = kinds.stage_c_spatial(rng, cfg, max_px=5)
            args = [torch.zeros(1, cfg["c_in"], h, w), torch.zeros(1),
                    torch.zeros(1, 1, cfg["c_clip_text"]),
                    torch.zeros(1, 1, cfg["c_clip_text_pooled"]),
                    torch.zeros(1, 1, cfg["c_clip_img"])]
        else:
            h, w = kinds.stage_b_spatial(rng, cfg, extra=0)
            args = [torch.zeros(1, cfg["c_in"], h, w), torch.zeros(1),
                    torch.zeros(1, cfg["c_effnet"], 2, 2), torch.zeros(1, 1, cfg["c_clip"])]
        with torch.no_grad():
            if tuple(model(*args).shape) == tuple(args[0].shape):
                return h, w
    raise Reject("the model does not map any drawn latent size onto itself")


def draw_settings(rng, role):
    if role == "stage_c":
        cfg = rng.choice([4.0, round(rng.uniform(1.0, 6.0), 2)])
        shift = rng.choice([2, 2, 1, round(rng.uniform(0.5, 3.0), 2)])
    else:
        cfg = rng.choice([1.1, round(rng.uniform(1.0, 2.5), 2)])
        shift = rng.choice([1, 1, 2, round(rng.uniform(0.5, 3.0), 2)])
    t_start = 1.0 if rng.random() < 0.7 else round(rng.uniform(0.3, 0.99), 2)
    return {"sampler": "DDPMSampler (= DDIMSampler.step with eta=1)", "cfg": cfg,
            "shift": shift, "timesteps": rng.randint(1, 4), "t_start": t_start, "t_end": 0.0,
            "cfg_rho": 0.7, "cfg_t_stop": None, "cfg_t_start": None, "eta": 1.0}


def sampler_fixture(name, seed, attempt, rng, margin, role, nets):
    """``nets``: {role: (fixture name, live model)} for the diffusion model and the decoder."""
    kind = "sampler_c" if role == "stage_c" else "sampler_b"
    fx = Fixture(name, kind, seed, attempt, kinds.TOL[kind])
    s = draw_settings(rng, role)
    iseed, nseed, pseed = kinds.seed_from(rng), kinds.seed_from(rng), kinds.seed_from(rng)
    g = common.gen(iseed)
    model_name, model = nets[role]
    mcfg = model.__dict__.get("_parity_cfg")
    b = rng.choice([1, 2, 3])
    if role == "stage_c":
        h, w = latent_size(rng, model, mcfg, role)
        shape = (b, mcfg["c_in"], h, w)
        st, sp, si = rng.randint(1, 6), rng.randint(1, 2), rng.randint(1, 2)
        cond = {"clip_text": common.randn(g, b, st, mcfg["c_clip_text"]),
                "clip_text_pooled": common.randn(g, b, sp, mcfg["c_clip_text_pooled"]),
                "clip_img": (torch.zeros(b, si, mcfg["c_clip_img"]) if rng.random() < 0.6
                             else common.randn(g, b, si, mcfg["c_clip_img"]))}
        uncond = {"clip_text": common.randn(g, b, st, mcfg["c_clip_text"]),
                  "clip_text_pooled": common.randn(g, b, sp, mcfg["c_clip_text_pooled"]),
                  "clip_img": torch.zeros(b, si, mcfg["c_clip_img"])}
        dec_role = "previewer"
    else:
        h, w = latent_size(rng, model, mcfg, role)
        shape = (b, mcfg["c_in"], h, w)
        he, we = rng.randint(1, 8), rng.randint(1, 8)
        sc = rng.choice([1.0, 10.0, 100.0])
        seq = rng.randint(1, 2)
        cond = {"effnet": common.randn(g, b, mcfg["c_effnet"], he, we, scale=sc),
                "clip": common.randn(g, b, seq, mcfg["c_clip"])}
        uncond = {"effnet": torch.zeros(b, mcfg["c_effnet"], he, we),
                  "clip": common.randn(g, b, seq, mcfg["c_clip"])}
        dec_role = "stage_a"
    x_init = common.randn(g, *shape)
    gn = common.gen(nseed)
    noises = [common.randn(gn, *shape) for _ in range(s["timesteps"])]
    for k, v in cond.items():
        fx.add_input("cond." + k, v)
    for k, v in uncond.items():
        fx.add_input("uncond." + k, v)
    fx.add_input("x_init", x_init)
    steps32, sched = run_sampler(model, cond, uncond, x_init, noises, s)
    m64 = copy.deepcopy(model).double()
    with common.fp64_replay():
        steps64, sched64 = run_sampler(m64, cond, uncond, x_init.double(),
                                 [n.double() for n in noises], s, cast=common.to64)
    steps_p, _ = run_sampler(model, cond, uncond, x_init, noises, s, perturb_r=True)
    for k in ("t_range", "logSNR_range", "noise_cond_range"):
        fx.add_output(k, sched[k], sched64[k])
    for i, (a, b64) in enumerate(zip(steps32, steps64)):
        fx.add_output(f"step{i}.model_in_x", a["model_in_x"], b64["model_in_x"])
        fx.add_output(f"step{i}.model_in_r", a["model_in_r"], b64["model_in_r"])
        fx.add_output(f"step{i}.model_out", a["model_out"], b64["model_out"])
        fx.add_output(f"step{i}.pred", a["pred"], b64["pred"])
        fx.add_output(f"step{i}.x0", a["x0"], b64["x0"])
        fx.add_input(f"step{i}.noise", noises[i])
        fx.add_output(f"step{i}.x", a["x"], b64["x"])
        for q in ("model_out", "pred", "x0", "x"):
            fx.add_sensitivity(f"step{i}.{q}", steps_p[i][q])
        fx.sensitivity[f"step{i}.pred"] = max(
            fx.sensitivity[f"step{i}.pred"],
            common.cfg_rescale_sensitivity(a["model_out"], s["cfg"], common.gen(pseed + i)))
    sampled_key = "sampled_c" if role == "stage_c" else "sampled_b"
    fx.add_output(sampled_key, steps32[-1]["x0"], steps64[-1]["x0"])
    fx.add_output("final_x", steps32[-1]["x"], steps64[-1]["x"])
    fx.add_sensitivity(sampled_key, steps_p[-1]["x0"])
    fx.add_sensitivity("final_x", steps_p[-1]["x"])
    dec_name, dec = nets[dec_role]
    dec64 = copy.deepcopy(dec).double()
    with torch.no_grad():
        if dec_role == "previewer":
            out32 = dec(steps32[-1]["x0"])
            outp = dec(steps_p[-1]["x0"])
            with common.fp64_replay():
                out64 = dec64(steps64[-1]["x0"].double())
            fx.add_output("preview", out32, out64)
            fx.add_sensitivity("preview", outp)
        else:
            out32 = dec.decode(steps32[-1]["x0"]).float()
            outp = dec.decode(steps_p[-1]["x0"]).float()
            with common.fp64_replay():
                out64 = dec64.decode(steps64[-1]["x0"].double()).float()
            fx.add_output("image", out32, out64)
            fx.add_sensitivity("image", outp)
    common.check_finite({k: v for k, v in fx.io.items()})
    kinds.check_margin(fx, margin)
    r_list = [float(v) for v in sched["t_range"]]
    s["timestep_list"] = r_list
    fx.json.update({
        "models": {role: f"{model_name}.weights.safetensors (config in {model_name}.json)",
                   dec_role: f"{dec_name}.weights.safetensors (config in {dec_name}.json)"},
        "seed": iseed, "noise_seed": nseed,
        "gdf": {"schedule": "CosineSchedule(clamp_range=[0.0001, 0.9999])",
                "input_scaler": "VPScaler()", "target": "EpsilonTarget()",
                "noise_cond": "CosineTNoiseCond()", "loss_weight": "P2LossWeight() (unused)",
                "source": "train/train_%s.py WurstCore.setup_extras_pre" % role[-1]},
        "sampling": s,
        "call": ("gdf.sample(%s, cond, shape, uncond, sampler=DDPMSampler(gdf), x_init=x_init, "
                 "cfg, shift, timesteps, t_start, t_end, cfg_rho); %s = x0 of the last step; "
                 % (role, sampled_key))
                + ("preview = previewer(sampled_c)" if role == "stage_c"
                   else "image = stage_a.decode(sampled_b).float()"),
        "notes": ["x_init is passed explicitly", "stepK.noise = the torch.randn_like(x0) drawn "
                  "inside DDPMSampler at step K (a port must inject it)",
                  "stepK.model_in_x / model_in_r / model_out: the batched CFG model call (rows "
                  "[0:B] cond, [B:2B] uncond)",
                  "cond/uncond dicts are concatenated per key in dict order "
                  + ", ".join(cond.keys())],
    })
    return fx
