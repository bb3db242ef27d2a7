"""Random valid configs, shapes and inputs per network kind, run through the official code.

Every builder takes a python RNG (config and shape draws) and returns a ``common.Fixture``
(plus the live official model where a dependent fixture needs it).  A draw the official code
refuses raises ``common.Reject`` and the caller redraws with the next attempt number."""

import contextlib
import copy
import math

import torch
from torch import nn

import common
import stio
from common import Call, Fixture, Reject

# tolerances (max|port-ref| / max|ref| per float output) = the parity NOTES values per family
TOL = {
    "stage_c": 1e-3, "stage_c_lora": 1e-3, "stage_c_cnet": 1e-3, "stage_b": 1e-3,
    "stage_a": 1e-5, "previewer": 1e-5, "effnet": 1e-5, "controlnet": 1e-5,
    "sampler_c": 1e-3, "sampler_b": 1e-3,
}

NS = None  # the official namespace, set by gen.py


# ---------------------------------------------------------------------------------------------
# helpers

def divisors(n, limit):
    return [d for d in range(1, min(n, limit) + 1) if n % d == 0]


def make_divisible(v, divisor=8):
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def seed_from(rng):
    return rng.getrandbits(31)


# inputs that feed the sinusoidal r-embedding (r * 10000): the probe moves them one ulp (see
# common.R_SHIFT), so draws that amplify a last-bit change of the embedding beyond the
# tolerance are not written
EMBEDDED = ("r", "sca", "crp", "aes")


def finish(fx, model, calls, margin, replay_model=None, probe=False):
    """Runs the calls in fp32 (outputs stored) and in an fp64 replay (errors recorded).  ``probe``
    True: also with the embedded t-inputs one ulp up (common.next_ulp); a callable: a context
    manager factory to run the probe under (e.g. a hook perturbing an activation); the probe's
    max relative change per output is recorded as its sensitivity."""
    fx.json["calls"] = [c.to_json() for c in calls]
    outs32 = {}
    for c in calls:
        for k, v in zip(c.outputs, common.run_call(model, c, fx.io)):
            if k is not None:
                outs32[k] = v
    common.check_finite(outs32)
    outs_p = {}
    if probe:
        ctx = probe if callable(probe) else contextlib.nullcontext
        with ctx():
            for c in calls:
                pert = EMBEDDED if probe is True else ()
                for k, v in zip(c.outputs, common.run_call(model, c, fx.io, perturb=pert)):
                    if k is not None:
                        outs_p[k] = v
    m64 = replay_model if replay_model is not None else copy.deepcopy(model).double()
    outs64 = {}
    with common.fp64_replay():
        for c in calls:
            for k, v in zip(c.outputs, common.run_call(m64, c, fx.io, cast=common.to64)):
                if k is not None:
                    outs64[k] = v
    for c in calls:
        for k in c.outputs:
            if k is not None:
                fx.add_output(k, outs32[k], outs64[k])
                if k in outs_p:
                    fx.add_sensitivity(k, outs_p[k])
    check_margin(fx, margin)
    return outs32, outs64, outs_p


# default --margin per tolerance: measured port/fp64-replay error ratios reach ~6 for the
# 1e-5 families (conv/BatchNorm accumulation order) and ~4.5 for the 1e-3 ones
MARGIN = {1e-5: 8.0, 1e-3: 5.0}


def check_margin(fx, margin):
    margin = margin or MARGIN.get(fx.tolerance, 8.0)
    fx.generator["margin"] = margin
    worst = fx.max_error()
    if worst > fx.tolerance / margin:
        raise Reject(f"ill-conditioned: fp32-vs-fp64 / ulp sensitivity {worst:.2e} > "
                     f"tolerance/{margin:g}")


def weights_of(model):
    return common.state_dict_f32(model)


# ---------------------------------------------------------------------------------------------
# Stage B / Stage C level stacks

COMMON_LEVELS = ["CTA", "CTA", "CT", "C", "CA", "CTAF", "TCA", "ACT", "CF", "CTTA", "FC",
                 "CAT", "T", "A", "CC", "CTF", "CAF", "TC"]


def draw_level_config(rng):
    if rng.random() < 0.75:
        return rng.choice(COMMON_LEVELS)
    return "".join(rng.choice("CTAF") for _ in range(rng.randint(1, 4)))


def draw_unet(rng, c_lo, c_hi, max_levels):
    levels = rng.choice([n for n in (1, 2, 2, 2, 3, 3) if n <= max_levels])
    c_hidden, nhead, level_config = [], [], []
    for _ in range(levels):
        lc = draw_level_config(rng)
        c = rng.randint(c_lo, c_hi)
        if "A" in lc:
            nh = rng.choice(divisors(c, 6) if rng.random() < 0.8 else divisors(c, c))
        else:
            nh = rng.choice([-1, 1, 2])
        c_hidden.append(c)
        nhead.append(nh)
        level_config.append(lc)
    blocks = [[rng.choice([0, 1, 1, 1, 2]) for _ in range(levels)] for _ in range(2)]
    if sum(blocks[0]) + sum(blocks[1]) == 0:
        blocks[0][0] = 1
    block_repeat = [[rng.choice([1, 1, 1, 2, 2, 3, 0]) for _ in range(levels)] for _ in range(2)]
    kernel_size = rng.choice([1, 3, 3, 3, 5, 7])
    c_r = rng.choice([4, 5, 6, 7, 8, 9, 12, 16, 17, 24])
    t_conds = rng.choice([["sca", "crp"], ["sca"], ["crp"], [], ["crp", "sca"], ["sca", "crp"],
                          ["sca", "crp", "aes"]])
    if rng.random() < 0.5:
        self_attn = rng.random() < 0.7
    else:
        self_attn = [rng.random() < 0.7 for _ in range(levels)]
    if rng.random() < 0.3:
        dropout = rng.choice([0.0, 0.1])
    else:
        dropout = [rng.choice([0.0, 0.1]) for _ in range(levels)]
    return dict(c_r=c_r, c_hidden=c_hidden, nhead=nhead, blocks=blocks,
                block_repeat=block_repeat, level_config=level_config, kernel_size=kernel_size,
                dropout=dropout, self_attn=self_attn, t_conds=t_conds)


def count_resblocks(model):
    return sum(1 for m in model.modules() if isinstance(m, NS.common.ResBlock))


def draw_tokens(rng, g, b, seq, width, scale=1.0):
    return common.randn(g, b, seq, width, scale=scale)


# ---------------------------------------------------------------------------------------------
# Stage C

def draw_stage_c_config(rng, square_io=False):
    u = draw_unet(rng, 3, 26, 3)
    levels = len(u["c_hidden"])
    c_in = rng.randint(1, 20)
    cfg = dict(
        c_in=c_in, c_out=c_in if square_io or rng.random() < 0.4 else rng.randint(1, 20),
        c_r=u["c_r"], patch_size=rng.choice([1, 1, 1, 2, 3]), c_cond=rng.randint(2, 28),
        c_hidden=u["c_hidden"], nhead=u["nhead"], blocks=u["blocks"],
        block_repeat=u["block_repeat"], level_config=u["level_config"],
        c_clip_text=rng.randint(1, 24), c_clip_text_pooled=rng.randint(1, 24),
        c_clip_img=rng.randint(1, 24), c_clip_seq=rng.randint(1, 4),
        kernel_size=u["kernel_size"], dropout=u["dropout"], self_attn=u["self_attn"],
        t_conds=u["t_conds"],
        switch_level=[rng.random() < 0.4 for _ in range(max(1, levels - 1))],
    )
    return cfg


def stage_c_spatial(rng, cfg, max_px=9):
    """(H, W) of the latent such that every switched level keeps >= 1 pixel."""
    p = cfg["patch_size"]
    levels = len(cfg["c_hidden"])
    hi = max(1, min(max_px, 12 // p))
    for _ in range(100):
        h, w = rng.randint(1, hi), rng.randint(1, hi)
        hh, ww, ok = h, w, True
        for i in range(1, levels):
            if cfg["switch_level"][i - 1]:
                hh, ww = int(math.floor(hh * 0.5)), int(math.floor(ww * 0.5))
                if hh < 1 or ww < 1:
                    ok = False
        if ok:
            return h * p, w * p
    raise Reject("no valid spatial size")


def build_stage_c(cfg, wseed):
    model = NS.stage_c.StageC(**copy.deepcopy(cfg))
    rules = common.randomize_(model, wseed)
    return model.eval(), rules


def stage_c_inputs(fx, rng, g, cfg, prefix, b, cfg_style, tconds):
    h, w = stage_c_spatial(rng, cfg)
    st, sp, si = rng.randint(1, 6), rng.randint(1, 2), rng.randint(1, 2)
    if cfg_style:
        x0 = common.randn(g, b, cfg["c_in"], h, w)
        r0 = common.rand(g, b)
        x, r = torch.cat([x0, x0]), torch.cat([r0, r0])
        rows = 2 * b
        clip_img = torch.zeros(rows, si, cfg["c_clip_img"])
    else:
        rows = b
        x = common.randn(g, b, cfg["c_in"], h, w)
        r = common.rand(g, b)
        if rng.random() < 0.3:
            clip_img = common.randn(g, rows, cfg["c_clip_img"])  # 2-D form is unsqueezed
        else:
            clip_img = common.randn(g, rows, si, cfg["c_clip_img"])
    fx.add_input(prefix + "x", x)
    fx.add_input(prefix + "r", r)
    fx.add_input(prefix + "clip_text", common.randn(g, rows, st, cfg["c_clip_text"]))
    fx.add_input(prefix + "clip_text_pooled", common.randn(g, rows, sp, cfg["c_clip_text_pooled"]))
    fx.add_input(prefix + "clip_img", clip_img)
    pos = [(p, prefix + p) for p in ("x", "r", "clip_text", "clip_text_pooled", "clip_img")]
    kw = {}
    if tconds:
        for t in cfg["t_conds"]:
            fx.add_input(prefix + t, common.rand(g, rows))
            kw[t] = ("tensor", prefix + t)
    return pos, kw


def stage_c_fixture(name, seed, attempt, rng, margin, square_io=False, size_budget=90000):
    fx = Fixture(name, "stage_c", seed, attempt, TOL["stage_c"])
    for _ in range(200):
        cfg = draw_stage_c_config(rng, square_io)
        if sum(1 for lc in cfg["level_config"] if "C" in lc) == 0 and rng.random() < 0.7:
            continue
        probe = NS.stage_c.StageC(**copy.deepcopy(cfg))
        if common.param_floats(probe) <= size_budget:
            break
    else:
        raise Reject("no config within the size budget")
    wseed, iseed = seed_from(rng), seed_from(rng)
    model, rules = build_stage_c(cfg, wseed)
    g = common.gen(iseed)
    fx.json.update({"model_class": "modules.stage_c.StageC", "config": cfg, "seed": wseed,
                    "weight_init": {"method": "randomize_ (see parity README)",
                                    "torch_generator_seed": wseed},
                    "input_seed": iseed})
    calls = []
    b0 = rng.choice([1, 1, 2])
    pos, kw = stage_c_inputs(fx, rng, g, cfg, "cfg.", b0, True, False)
    calls.append(Call("cfg", "forward", pos, kw, ["cfg.out"],
                      "cfg-style batch as gdf.GDF.sample builds it: rows [0:B] conditional, "
                      "[B:2B] unconditional (same x and r), clip_img zeros; t-conds not passed"))
    b1 = rng.choice([1, 2, 3])
    pos, kw = stage_c_inputs(fx, rng, g, cfg, "tconds.", b1, False, True)
    calls.append(Call("tconds", "forward", pos, kw, ["tconds.out"],
                      "independent samples, explicit t-condition kwargs"))
    outs32, outs64, outs_p = finish(fx, model, calls, margin, probe=True)
    # CFG combination of the cfg call (gdf.GDF.sample math, no model)
    cfg_val = rng.choice([4.0, round(rng.uniform(1.0, 7.0), 2)])
    rho = rng.choice([0.7, round(rng.uniform(0.1, 0.95), 2)])

    def combine(out):
        pred, pred_u = out.chunk(2)
        pred_cfg = torch.lerp(pred_u, pred, cfg_val)
        std_pos, std_cfg = pred.std(), pred_cfg.std()
        return pred_cfg, rho * (pred_cfg * std_pos / (std_cfg + 1e-9)) + pred_cfg * (1 - rho)

    c32, c64 = combine(outs32["cfg.out"]), combine(outs64["cfg.out"])
    formula = (f"pred,pred_u = cfg.out.chunk(2); pred_cfg = lerp(pred_u, pred, {cfg_val!r}); "
               f"pred_rho = {rho!r}*(pred_cfg*pred.std()/(pred_cfg.std()+1e-9)) + "
               f"{1 - rho!r}*pred_cfg  (torch.std = unbiased, over ALL elements)")
    fx.json["calls"].append({"name": "cfg_combine",
                             "method": "(no model call) gdf.GDF.sample CFG math on cfg.out",
                             "formula": formula,
                             "outputs": ["cfg.pred_cfg", "cfg.pred_cfg_rho"]})
    cp = combine(outs_p["cfg.out"])
    fx.add_output("cfg.pred_cfg", c32[0], c64[0])
    fx.add_output("cfg.pred_cfg_rho", c32[1], c64[1])
    fx.add_sensitivity("cfg.pred_cfg", cp[0])
    fx.add_sensitivity("cfg.pred_cfg_rho", cp[1])
    fx.sensitivity["cfg.pred_cfg_rho"] = max(
        fx.sensitivity["cfg.pred_cfg_rho"],
        common.cfg_rescale_sensitivity(outs32["cfg.out"], cfg_val, common.gen(seed_from(rng))))
    check_margin(fx, margin)
    fx.weights = weights_of(model)
    fx.json["weights_keys"] = len(fx.weights)
    return fx, model, cfg


# ---------------------------------------------------------------------------------------------
# Stage C + LoRA (base = a stage_c fixture of the same seed)

LORA_FILTERS = [".attn", "attention", "channelwise", "kv_mapper", "mapper", "depthwise", "clf",
                "embedding", "clip_txt_mapper", "clip_img_mapper", "clip_txt_pooled_mapper",
                "down_blocks", "up_blocks", "down_downscalers", "up_upscalers", "repeat_mappers",
                "out_proj", ".0", "blocks.1", "clip"]


def lora_matches(model, filters):
    n = 0
    for name, m in model.named_modules():
        if any(f in name for f in filters):
            if isinstance(getattr(m, "weight", None), nn.Parameter) or isinstance(
                    getattr(m, "in_proj_weight", None), nn.Parameter):
                n += 1
    return n


def stage_c_lora_fixture(name, seed, attempt, rng, margin, base_name, base_model, base_cfg):
    fx = Fixture(name, "stage_c_lora", seed, attempt, TOL["stage_c_lora"])
    for _ in range(100):
        if rng.random() < 0.4:
            filters = [".attn"]
        else:
            filters = rng.sample(LORA_FILTERS, rng.choice([1, 1, 2]))
        if lora_matches(base_model, filters) > 0:
            break
    else:
        raise Reject("no LoRA filter matches this model")
    rank = rng.randint(1, 8)
    model = copy.deepcopy(base_model)
    NS.lora.apply_lora(model, filters=filters, rank=rank)
    loras = [(n, m) for n, m in model.named_modules() if isinstance(m, NS.lora.LoRA)]
    if not loras:
        raise Reject("apply_lora parametrized nothing")
    lseed, iseed = seed_from(rng), seed_from(rng)
    g = common.gen(lseed)
    weights, owners = {}, {}
    with torch.no_grad():
        for i, (mname, m) in enumerate(loras):
            m.lora_down.copy_(common.randn(g, *m.lora_down.shape,
                                           scale=1.0 / math.sqrt(m.lora_down.shape[1])))
            m.lora_up.copy_(common.randn(g, *m.lora_up.shape, scale=0.5))
            weights[f"weights.{i}.lora_down"] = m.lora_down.detach().clone()
            weights[f"weights.{i}.lora_up"] = m.lora_up.detach().clone()
            owner, _, rest = mname.partition(".parametrizations.")
            pname = rest.rsplit(".", 1)[0]
            owners[f"weights.{i}"] = {"lora_module": mname,
                                      "target_parameter": (owner + "." if owner else "") + pname,
                                      "scale": m.scale}
    model.eval()
    fx.json.update({
        "base_weights": base_name + ".weights.safetensors",
        "model_class": "modules.stage_c.StageC + modules.lora.apply_lora",
        "config": {"base": base_cfg, "module_filters": filters, "rank": rank, "alpha": 1,
                   "scale": 1.0 / rank},
        "seed": lseed, "input_seed": iseed,
        "lora_layout": "weights.<i>.lora_down [rank, in], weights.<i>.lora_up [out, rank] in "
                       "model.modules() order of the LoRA modules (train_c_lora.py); merged "
                       "W' = W + (lora_up @ lora_down).view(W.shape[:2]+[1]*(W.dim()-2)) * "
                       "(alpha/rank), broadcast over conv kernels",
        "lora_owners": owners,
    })
    g = common.gen(iseed)
    calls = []
    b = rng.choice([1, 2, 3])
    pos, kw = stage_c_inputs(fx, rng, g, base_cfg, "lora.", b, False, rng.random() < 0.6)
    calls.append(Call("lora", "forward", pos, kw, ["lora.out"],
                      "base stage_c weights + LoRA merged on the fly via parametrization"))
    finish(fx, model, calls, margin, probe=True)
    fx.weights = weights
    fx.json["weights_keys"] = len(weights)
    return fx


# ---------------------------------------------------------------------------------------------
# Stage C with ControlNet injections

def resblock_channels(model, call_inputs):
    """Channels of x at each ResBlock invocation (the order ControlNetDeliverer hands out)."""
    seen = []
    hooks = [m.register_forward_pre_hook(lambda mod, inp: seen.append(inp[0].shape[1]))
             for m in model.modules() if isinstance(m, NS.common.ResBlock)]
    try:
        with torch.no_grad():
            model(*call_inputs)
    finally:
        for h in hooks:
            h.remove()
    return seen


def stage_c_cnet_fixture(name, seed, attempt, rng, margin):
    fx = Fixture(name, "stage_c_cnet", seed, attempt, TOL["stage_c_cnet"])
    for _ in range(200):
        cfg = draw_stage_c_config(rng)
        if not any("C" in lc for lc, n0, n1 in
                   zip(cfg["level_config"], cfg["blocks"][0], cfg["blocks"][1]) if n0 + n1 > 0):
            continue
        if common.param_floats(NS.stage_c.StageC(**copy.deepcopy(cfg))) <= 90000:
            break
    else:
        raise Reject("no config within the size budget")
    wseed, iseed = seed_from(rng), seed_from(rng)
    model, _ = build_stage_c(cfg, wseed)
    fx.json.update({"model_class": "modules.stage_c.StageC (with cnet=...)", "config": cfg,
                    "seed": wseed, "weight_init": {"method": "randomize_ (see parity README)",
                                                   "torch_generator_seed": wseed},
                    "input_seed": iseed})
    g = common.gen(iseed)
    b = rng.choice([1, 2, 3])
    pos, kw = stage_c_inputs(fx, rng, g, cfg, "", b, False, rng.random() < 0.5)
    chans = resblock_channels(model, [fx.io[k] for _, k in pos])
    if not chans:
        raise Reject("no ResBlock invocation")
    n = rng.randint(1, len(chans) + 2)
    keys = []
    for k in range(n):
        if rng.random() < 0.3:
            keys.append(None)
            continue
        ch = chans[k] if k < len(chans) else cfg["c_hidden"][0]
        bc = 1 if rng.random() < 0.2 else b
        t = common.randn(g, bc, ch, rng.randint(1, 10), rng.randint(1, 10), scale=0.5)
        fx.add_input(f"cnet.{k}", t)
        keys.append(f"cnet.{k}")
    kw_cnet = dict(kw)
    kw_cnet["cnet"] = ("tensor_list", keys)
    calls = [
        Call("forward_cnet", "forward", pos, kw_cnet, ["out"],
             "ControlNetDeliverer hands cnet[k] to the k-th ResBlock call (down path then up "
             "path, every repeat consuming an index); x += interpolate(cnet[k], size=x.shape[-2:],"
             " bilinear, align_corners=True) BEFORE that ResBlock; batch-1 entries broadcast"),
        Call("forward_nocnet", "forward", pos, kw, ["out_nocnet"]),
    ]
    fx.json["resblock_invocations"] = len(chans)
    finish(fx, model, calls, margin, probe=True)
    fx.weights = weights_of(model)
    fx.json["weights_keys"] = len(fx.weights)
    return fx


# ---------------------------------------------------------------------------------------------
# Stage B

def draw_stage_b_config(rng, square_io=False):
    u = draw_unet(rng, 3, 24, 3)
    c_in = rng.randint(1, 8)
    return dict(
        c_in=c_in, c_out=c_in if square_io or rng.random() < 0.4 else rng.randint(1, 8),
        c_r=u["c_r"], patch_size=rng.choice([1, 2, 2, 3]), c_cond=rng.randint(2, 28),
        c_hidden=u["c_hidden"], nhead=u["nhead"], blocks=u["blocks"],
        block_repeat=u["block_repeat"], level_config=u["level_config"],
        c_clip=rng.randint(1, 24), c_clip_seq=rng.randint(1, 4), c_effnet=rng.randint(1, 20),
        c_pixels=3 if square_io or rng.random() < 0.7 else rng.randint(1, 5),
        kernel_size=u["kernel_size"], dropout=u["dropout"], self_attn=u["self_attn"],
        t_conds=u["t_conds"] if rng.random() < 0.5 else ["sca"],
    )


def stage_b_spatial(rng, cfg, extra=3):
    p = cfg["patch_size"]
    levels = len(cfg["c_hidden"])
    need = 2 ** (levels - 1)
    hi = max(need, min(need * 3 + extra, 16 // p))
    h, w = rng.randint(need, hi), rng.randint(need, hi)
    return h * p, w * p


def stage_b_inputs(fx, rng, g, cfg, prefix, b, cfg_style, tconds, pixels):
    h, w = stage_b_spatial(rng, cfg)
    s = rng.randint(1, 3)
    he, we = rng.randint(1, 9), rng.randint(1, 9)
    if cfg_style:
        x0 = common.randn(g, b, cfg["c_in"], h, w)
        r0 = common.rand(g, b)
        x, r, rows = torch.cat([x0, x0]), torch.cat([r0, r0]), 2 * b
        eff = torch.cat([common.randn(g, b, cfg["c_effnet"], he, we, scale=3.0),
                         torch.zeros(b, cfg["c_effnet"], he, we)])
        clip = common.randn(g, rows, s, cfg["c_clip"])
    else:
        rows = b
        x = common.randn(g, b, cfg["c_in"], h, w)
        r = common.rand(g, b)
        eff = common.randn(g, b, cfg["c_effnet"], he, we, scale=3.0)
        clip = (common.randn(g, b, cfg["c_clip"]) if rng.random() < 0.3
                else common.randn(g, b, s, cfg["c_clip"]))
    for k, v in (("x", x), ("r", r), ("effnet", eff), ("clip", clip)):
        fx.add_input(prefix + k, v)
    pos = [(p, prefix + p) for p in ("x", "r", "effnet", "clip")]
    if pixels:
        fx.add_input(prefix + "pixels", common.rand(g, rows, cfg["c_pixels"], rng.randint(1, 10),
                                                    rng.randint(1, 10)))
        pos.append(("pixels", prefix + "pixels"))
    kw = {}
    if tconds:
        for t in cfg["t_conds"]:
            fx.add_input(prefix + t, common.rand(g, rows))
            kw[t] = ("tensor", prefix + t)
    return pos, kw


def stage_b_fixture(name, seed, attempt, rng, margin, square_io=False, size_budget=90000):
    fx = Fixture(name, "stage_b", seed, attempt, TOL["stage_b"])
    for _ in range(200):
        cfg = draw_stage_b_config(rng, square_io)
        if common.param_floats(NS.stage_b.StageB(**copy.deepcopy(cfg))) <= size_budget:
            break
    else:
        raise Reject("no config within the size budget")
    wseed, iseed = seed_from(rng), seed_from(rng)
    model = NS.stage_b.StageB(**copy.deepcopy(cfg))
    common.randomize_(model, wseed)
    model.eval()
    fx.json.update({"model_class": "modules.stage_b.StageB", "config": cfg, "seed": wseed,
                    "weight_init": {"method": "randomize_ (see parity README)",
                                    "torch_generator_seed": wseed},
                    "input_seed": iseed})
    g = common.gen(iseed)
    must_pixels = cfg["c_pixels"] != 3
    calls = []
    pos, kw = stage_b_inputs(fx, rng, g, cfg, "cfg.", rng.choice([1, 1, 2]), True, False,
                             must_pixels)
    calls.append(Call("cfg", "forward", pos, kw, ["cfg.out"],
                      "cfg-style batch: rows [0:B] conditional, [B:2B] unconditional (effnet "
                      "zeros); pixels not passed -> zeros(B,3,8,8) unless c_pixels != 3"))
    pos, kw = stage_b_inputs(fx, rng, g, cfg, "pixels.", rng.choice([1, 2, 3]), False, True, True)
    calls.append(Call("pixels", "forward", pos, kw, ["pixels.out"],
                      "explicit pixels and t-condition kwargs"))
    pos, kw = stage_b_inputs(fx, rng, g, cfg, "odd.", rng.choice([1, 3]), False,
                             rng.random() < 0.5, must_pixels)
    calls.append(Call("odd", "forward", pos, kw, ["odd.out"], "another size / batch"))
    finish(fx, model, calls, margin, probe=True)
    fx.weights = weights_of(model)
    fx.json["weights_keys"] = len(fx.weights)
    return fx, model, cfg


# ---------------------------------------------------------------------------------------------
# Stage A

def stage_a_fixture(name, seed, attempt, rng, margin, c_latent=None):
    fx = Fixture(name, "stage_a", seed, attempt, TOL["stage_a"])
    levels = rng.choice([1, 2, 2, 3, 4])
    c_hidden = rng.randint(2 ** (levels - 1), 36)
    cfg = dict(levels=levels, bottleneck_blocks=rng.choice([0, 1, 2, 3]), c_hidden=c_hidden,
               c_latent=c_latent or rng.randint(1, 8),
               codebook_size=1 if rng.random() < 0.05 else rng.randint(2, 64),
               scale_factor=rng.choice([0.43, round(rng.uniform(0.2, 1.5), 3)]))
    wseed, iseed = seed_from(rng), seed_from(rng)
    model = NS.stage_a.StageA(**cfg)
    common.randomize_(model, wseed)
    model.eval()
    fx.json.update({"model_class": "modules.stage_a.StageA (+ torchtools.nn.VectorQuantize)",
                    "config": cfg, "seed": wseed,
                    "weight_init": {"method": "randomize_ (see parity README)",
                                    "torch_generator_seed": wseed},
                    "input_seed": iseed})
    g = common.gen(iseed)
    need = 2 ** (levels - 1)
    b = rng.choice([1, 2, 3])
    h, w = 2 * rng.randint(need, need + 6), 2 * rng.randint(need, need + 6)
    fx.add_input("x", common.rand(g, b, 3, h, w, lo=-1.0, hi=1.0))
    lh, lw = rng.randint(1, 7), rng.randint(1, 7)
    fx.add_input("decode.latent", common.randn(g, rng.choice([1, 2]), cfg["c_latent"], lh, lw))
    # VQ margin: nearest vs second-nearest squared distance in fp64
    with torch.no_grad():
        m64 = copy.deepcopy(model).double()
        z = m64.down_blocks(m64.in_block(fx.io["x"].double()))
        zf = z.movedim(1, -1).reshape(-1, z.shape[1])
        cb = m64.vquantizer.codebook.weight
        d = (cb ** 2).sum(1)[None] + (zf ** 2).sum(1, keepdim=True) - 2 * zf @ cb.t()
        if cb.shape[0] >= 2:
            two = d.topk(2, dim=1, largest=False).values
            gap = (two[:, 1] - two[:, 0])
            scale = 1.0 + (zf ** 2).sum(1)
            if (gap / scale).min().item() < 1e-4:
                raise Reject("VQ near-tie")
            fx.json["vq_nearest_margin_fp64"] = {
                "min_sq_dist_gap": gap.min().item(), "median_sq_dist_gap": gap.median().item(),
                "n_positions": int(gap.numel())}
    fx.json["vq_note"] = ("indices = argmin_k (|c_k|^2 + |z|^2 - 2 z.c_k) (torch.addmm, fp32); "
                          "near-ties (gap/(1+|z|^2) < 1e-4 in fp64) are never written")
    calls = [
        Call("encode", "encode", [("x", "x")], {"quantize": ("value", False)},
             ["encode.latent", None, None, None]),
        Call("encode_q", "encode", [("x", "x")], {"quantize": ("value", True)},
             ["encode_q.qe", "encode_q.latent", "encode_q.indices", "encode_q.loss"]),
        Call("decode", "decode", [("x", "decode.latent")], {}, ["decode.out"]),
        Call("forward_noq", "forward", [("x", "x")], {"quantize": ("value", False)},
             ["forward_noq.out", None]),
        Call("forward_q", "forward", [("x", "x")], {"quantize": ("value", True)},
             ["forward_q.out", "forward_q.loss"]),
    ]
    pseed = seed_from(rng)
    with torch.no_grad():
        z32 = model.down_blocks(model.in_block(fx.io["x"]))
        z_err = (z32.double() - z).abs().max().item()

    @contextlib.contextmanager
    def latent_noise():
        # the port's encoder output differs from torch's by its rounding noise (measured up to
        # ~3x the fp32-vs-fp64 difference, and the BatchNorm's mean subtraction can make that
        # many ulps of z); the VQ loss (a mean of squared small differences) and the quantized
        # outputs must not amplify it: uniform noise of +-4x the fp64 difference, +-2 ulps
        gp = common.gen(pseed)

        def hook(mod, inp, out):
            ulp = torch.nextafter(out.abs(), torch.full_like(out, math.inf)) - out.abs()
            u = common.rand(gp, *out.shape, lo=-1.0, hi=1.0).to(out.dtype)
            return out + u * torch.maximum(2 * ulp, torch.full_like(out, 4 * z_err))

        h = model.down_blocks.register_forward_hook(hook)
        try:
            yield
        finally:
            h.remove()

    outs32, outs64, outs_p = finish(fx, model, calls, margin, probe=latent_noise)
    if not torch.equal(outs32["encode_q.indices"], outs_p["encode_q.indices"]):
        raise Reject("VQ indices change under a few-ulp latent perturbation")
    if not torch.equal(outs32["encode_q.indices"], outs64["encode_q.indices"]):
        raise Reject("VQ indices differ between fp32 and fp64")
    fx.weights = weights_of(model)
    fx.json["weights_keys"] = len(fx.weights)
    return fx, model, cfg


# ---------------------------------------------------------------------------------------------
# Previewer

def previewer_fixture(name, seed, attempt, rng, margin, c_in=None):
    fx = Fixture(name, "previewer", seed, attempt, TOL["previewer"])
    cfg = dict(c_in=c_in or rng.randint(1, 20), c_hidden=rng.randint(4, 36),
               c_out=rng.choice([3, 3, 1, 2, 4]))
    wseed, iseed, bnseed = seed_from(rng), seed_from(rng), seed_from(rng)
    model = NS.previewer.Previewer(**cfg)
    common.randomize_(model, wseed)
    fx.json.update({"model_class": "modules.previewer.Previewer", "config": cfg, "seed": wseed,
                    "weight_init": {"method": "randomize_ + BatchNorm calibration (see parity "
                                              "README)", "torch_generator_seed": wseed,
                                    "bn_calibration_seed": bnseed},
                    "input_seed": iseed})
    g = common.gen(iseed)
    fx.add_input("x", common.randn(g, rng.choice([1, 2, 3]), cfg["c_in"], rng.randint(1, 6),
                                   rng.randint(1, 6)))
    fx.add_input("odd.x", common.randn(g, rng.choice([1, 3]), cfg["c_in"], rng.randint(1, 5),
                                       rng.randint(1, 5), scale=2.0))
    common.calibrate_bn_(model, lambda: model(fx.io["x"]), bnseed)
    calls = [Call("forward", "forward", [("x", "x")], {}, ["out"]),
             Call("odd", "forward", [("x", "odd.x")], {}, ["odd.out"],
                  "another size (BatchNorm statistics calibrated on the first call)")]
    finish(fx, model, calls, margin)
    fx.weights = weights_of(model)
    fx.json["weights_keys"] = len(fx.weights)
    return fx, model, cfg


# ---------------------------------------------------------------------------------------------
# tiny torchvision EfficientNet backbones (same block classes as efficientnet_v2_s)

def draw_effnet_setting(rng, first_in=None):
    n = rng.randint(1, 4)
    types = [rng.choice(["FusedMBConv", "FusedMBConv", "MBConv"]) for _ in range(n)]
    # channel count at each boundary (stage i input = boundary i); MBConv rounds to /8
    bounds = []
    for i in range(n + 1):
        touches_mb = (i < n and types[i] == "MBConv") or (i > 0 and types[i - 1] == "MBConv")
        if i == 0 and first_in is not None:
            c = first_in
        elif touches_mb:
            c = rng.choice([8, 8, 16, 24])
        else:
            c = rng.randint(2, 20)
        bounds.append(c)
    if first_in is not None and types[0] == "MBConv" and make_divisible(first_in) != first_in:
        types[0] = "FusedMBConv"
    setting = []
    for i, t in enumerate(types):
        setting.append({
            "block": t, "expand_ratio": rng.choice([1, 1, 2, 4, 6, 1.5] if t == "FusedMBConv"
                                                   else [1, 2, 4, 6, 3, 1.5]),
            "kernel": rng.choice([3, 3, 5]), "stride": rng.choice([1, 2, 2]),
            "input_channels": bounds[i], "out_channels": bounds[i + 1],
            "num_layers": rng.choice([1, 1, 2]),
        })
    eps = rng.choice([1e-3, 1e-3, None])
    return setting, eps


def effnet_builder(setting, eps):
    from functools import partial

    import torchvision
    from torchvision.models import efficientnet as tve

    cnfs = []
    for s in setting:
        cls = tve.FusedMBConvConfig if s["block"] == "FusedMBConv" else tve.MBConvConfig
        cnfs.append(cls(s["expand_ratio"], s["kernel"], s["stride"], s["input_channels"],
                        s["out_channels"], s["num_layers"]))
    norm = partial(nn.BatchNorm2d, eps=eps) if eps is not None else None

    def factory():
        return torchvision.models.efficientnet.EfficientNet(
            cnfs, dropout=0.2, stochastic_depth_prob=0.2, norm_layer=norm, last_channel=1280)
    return factory


def effnet_backbone_text(eps):
    norm = "partial(nn.BatchNorm2d, eps=1e-3), " if eps is not None else ""
    return ("torchvision.models.efficientnet.EfficientNet(inverted_residual_setting, dropout=0.2, "
            f"stochastic_depth_prob=0.2, {norm}last_channel=1280).features"
            + ("" if eps is not None else "  (norm_layer=None -> nn.BatchNorm2d, eps=1e-5)"))


def with_backbone(factory, ctor):
    NS.backbone["factory"] = factory
    try:
        return ctor()
    finally:
        NS.backbone["factory"] = None


def effnet_fixture(name, seed, attempt, rng, margin):
    fx = Fixture(name, "effnet", seed, attempt, TOL["effnet"])
    setting, eps = draw_effnet_setting(rng)
    c_latent = rng.choice([16, rng.randint(1, 20)])
    wseed, iseed, bnseed = seed_from(rng), seed_from(rng), seed_from(rng)
    model = with_backbone(effnet_builder(setting, eps),
                          lambda: NS.effnet.EfficientNetEncoder(c_latent=c_latent))
    common.randomize_(model, wseed, wmax=0.6)
    cfg = {"c_latent": c_latent, "backbone": effnet_backbone_text(eps),
           "inverted_residual_setting": setting}
    fx.json.update({"model_class": "modules.effnet.EfficientNetEncoder with backbone replaced by "
                                   "a TINY torchvision EfficientNet(...).features",
                    "config": cfg, "seed": wseed,
                    "weight_init": {"method": "randomize_ gain=1.0 wmax=0.6 + BN calibration "
                                              "(see parity README)",
                                    "torch_generator_seed": wseed, "bn_calibration_seed": bnseed},
                    "input_seed": iseed})
    g = common.gen(iseed)
    fx.add_input("x", common.randn(g, rng.choice([1, 2, 3]), 3, rng.randint(1, 40),
                                   rng.randint(1, 40)))
    common.calibrate_bn_(model, lambda: model(fx.io["x"]), bnseed)
    calls = [Call("forward", "forward", [("x", "x")], {}, ["out"],
                  "x = effnet_preprocess(image) (ImageNet Normalize); not part of the module")]
    finish(fx, model, calls, margin)
    fx.weights = weights_of(model)
    fx.json["weights_keys"] = len(fx.weights)
    return fx


# ---------------------------------------------------------------------------------------------
# ControlNet

def hashinit_scale_offset(model, name, t):
    leaf = name.rsplit(".", 1)[-1]
    owner = common._owner(model, name)
    if isinstance(owner, nn.modules.batchnorm._BatchNorm) or isinstance(owner, nn.LayerNorm):
        if leaf == "running_mean":
            return 0.1, 0.0
        if leaf == "running_var":
            return 0.5, 1.0
        if leaf == "weight":
            return 0.2, 1.0
        return 0.1, 0.0
    if t.dim() >= 2:
        return math.sqrt(3.0 / max(1, t[0].numel())), 0.0
    return 0.05, 0.0


def apply_hashinit_(model, hseed):
    """Fills the model with the README hashinit formula; returns the spec entries."""
    entries = []
    sd = model.state_dict(keep_vars=True)
    with torch.no_grad():
        for name, t in sd.items():
            e = {"name": name, "shape": list(t.shape)}
            if not t.is_floating_point():
                e.update({"dtype": "int64", "rule": "integer buffer, leave as 0"})
                t.zero_()
                entries.append(e)
                continue
            scale, offset = hashinit_scale_offset(model, name, t)
            v = stio.hashinit_values(hseed, name, t.numel(), scale, offset)
            t.copy_(torch.from_numpy(v.copy()).reshape(t.shape))
            e.update({"dtype": "float32", "numel": t.numel(),
                      "scale": stio.f32_text(scale), "scale_bits": stio.f32_bits(scale),
                      "offset": stio.f32_text(offset), "offset_bits": stio.f32_bits(offset),
                      "check_first3": [repr(float(x)) for x in v[:3]],
                      "check_sum_f64": float(v.astype("float64").sum())})
            entries.append(e)
    return entries


def draw_proj_blocks(rng):
    k = rng.randint(1, 3)
    blocks = rng.sample(range(0, 9), k)
    if rng.random() < 0.7:
        blocks.sort()
    if rng.random() < 0.1:
        blocks.append(blocks[0])  # a repeated index: the later projection wins
    return blocks


def controlnet_fixture(name, seed, attempt, rng, margin):
    fx = Fixture(name, "controlnet", seed, attempt, TOL["controlnet"])
    mode = rng.choice(["simple", "simple", "effnet"])
    proj_blocks = draw_proj_blocks(rng)
    wseed, iseed, bnseed = seed_from(rng), seed_from(rng), seed_from(rng)
    g = common.gen(iseed)
    if mode == "simple":
        cfg = dict(c_in=rng.randint(1, 10), c_proj=rng.randint(1, 24), proj_blocks=proj_blocks,
                   bottleneck_mode="simple")
        model = NS.controlnet.ControlNet(**cfg)
        common.randomize_(model, wseed)
        fx.add_input("x", common.randn(g, rng.choice([1, 2, 3]), cfg["c_in"], rng.randint(1, 14),
                                       rng.randint(1, 14)))
        fx.json.update({"model_class": "modules.controlnet.ControlNet", "config": cfg,
                        "seed": wseed,
                        "weight_init": {"method": "randomize_ (see parity README)",
                                        "torch_generator_seed": wseed}})
        model.eval()
        spec = None
    else:
        c_in = rng.choice([3, 1, 4, rng.randint(1, 6)])
        setting, eps = draw_effnet_setting(rng, first_in=None if c_in == 3 else 24)
        cfg = dict(c_in=c_in, c_proj=rng.randint(1, 16), proj_blocks=proj_blocks,
                   bottleneck_mode=rng.choice([None, "effnet"]))
        model = with_backbone(effnet_builder(setting, eps),
                              lambda: NS.controlnet.ControlNet(**cfg))
        spec = apply_hashinit_(model, wseed)
        h, w = rng.randint(3, 40), rng.randint(3, 40)
        fx.add_input("x", common.randn(g, rng.choice([1, 2, 3]), c_in, h, w))
        common.calibrate_bn_(model, lambda: model(fx.io["x"]), bnseed)
        cfg = dict(cfg)
        cfg["backbone"] = effnet_backbone_text(eps)
        cfg["inverted_residual_setting"] = setting
        fx.json.update({
            "model_class": "modules.controlnet.ControlNet (effnet bottleneck with a TINY "
                           "torchvision EfficientNet(...).features)",
            "config": cfg, "seed": wseed,
            "weight_init": {"method": "hashinit formula (see parity README) + BatchNorm "
                                      "calibration stored in bnstats", "hashinit_seed": wseed,
                            "bn_calibration_seed": bnseed},
            "note": "c_in != 3: backbone[0][0] replaced by Conv2d(c_in, 24, 3, stride=2, "
                    "bias=False) WITHOUT padding (official ControlNet.__init__)"})
    fx.json["input_seed"] = iseed
    n_out = max(proj_blocks) + 1
    outs = [f"out.{i}" if i in proj_blocks else None for i in range(n_out)]
    calls = [Call("forward", "forward", [("x", "x")], {}, outs,
                  "a python list of length max(proj_blocks)+1; None where no projection")]
    finish(fx, model, calls, margin)
    if spec is None:
        fx.weights = weights_of(model)
        fx.json["weights_keys"] = len(fx.weights)
    else:
        bn = {k: v.detach().clone() for k, v in model.state_dict().items()
              if k.endswith("running_mean") or k.endswith("running_var")}
        for e in spec:
            if e["name"] in bn:
                e["overridden_by"] = name + ".bnstats.safetensors"

        def write_spec(path, spec=spec, hseed=wseed):
            import json
            with open(path, "w") as f:
                json.dump({"seed": hseed, "tensors": spec}, f, separators=(",", ":"))
        fx.extra_files["hashinit"] = (name + ".hashinit.json", write_spec)
        fx.extra_files["bnstats"] = (name + ".bnstats.safetensors",
                                     lambda path, bn=bn: stio.write_safetensors(path, bn))
        fx.json["weights_keys"] = len(spec)
    return fx
