"""Shared machinery: weight randomisation, BatchNorm calibration, running fixture calls in fp32
and replaying them in fp64, error measurement and writing a fixture in the parity format."""

import contextlib
import json
import math
import os
import random

import torch
from torch import nn

import stio

FORMAT_VERSION = 1


class Reject(Exception):
    """The draw is not usable (the official forward refused it, or it is ill-conditioned)."""


# ---------------------------------------------------------------------------------------------
# randomness

def rng_for(seed, *parts):
    """Deterministic python RNG for (seed, parts) (str seeding uses sha512, stable across runs)."""
    return random.Random("/".join([str(seed)] + [str(p) for p in parts]))


def gen(seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return g


def randn(g, *shape, scale=1.0):
    return torch.randn(*shape, generator=g) * scale


def rand(g, *shape, lo=0.0, hi=1.0):
    return torch.rand(*shape, generator=g) * (hi - lo) + lo


# ---------------------------------------------------------------------------------------------
# weights

def _owner(model, name):
    prefix = name.rsplit(".", 1)[0] if "." in name else ""
    return model.get_submodule(prefix) if prefix else model


def randomize_(model, seed, wmax=0.2, gain=1.0):
    """Overwrites every floating state_dict entry (state_dict order, one generator), README rules:
    BN running_var U(0.5,1.5), running_mean N(0,0.1); norm weight 1+N(0,0.1), bias N(0,0.1);
    GRN gamma/beta N(0,0.2); StageA gammas N(0,0.3); VQ codebook N(0,1); other >=2-D weights
    N(0, clamp(gain/sqrt(fan_in), 0.02, wmax)); other 1-D tensors N(0,0.05)."""
    g = gen(seed)
    rules = {}
    with torch.no_grad():
        for name, t in model.state_dict(keep_vars=True).items():
            if not t.is_floating_point():
                continue
            leaf = name.rsplit(".", 1)[-1]
            owner = _owner(model, name)
            if isinstance(owner, nn.modules.batchnorm._BatchNorm):
                if leaf == "running_var":
                    v, rule = rand(g, *t.shape, lo=0.5, hi=1.5), "U(0.5,1.5)"
                elif leaf == "running_mean":
                    v, rule = randn(g, *t.shape, scale=0.1), "N(0,0.1)"
                elif leaf == "weight":
                    v, rule = 1 + randn(g, *t.shape, scale=0.1), "1+N(0,0.1)"
                else:
                    v, rule = randn(g, *t.shape, scale=0.1), "N(0,0.1)"
            elif isinstance(owner, nn.LayerNorm) or isinstance(owner, nn.GroupNorm):
                if leaf == "weight":
                    v, rule = 1 + randn(g, *t.shape, scale=0.1), "1+N(0,0.1)"
                else:
                    v, rule = randn(g, *t.shape, scale=0.1), "N(0,0.1)"
            elif leaf in ("gamma", "beta"):
                v, rule = randn(g, *t.shape, scale=0.2), "N(0,0.2)"
            elif leaf == "gammas":
                v, rule = randn(g, *t.shape, scale=0.3), "N(0,0.3)"
            elif isinstance(owner, nn.Embedding):
                v, rule = randn(g, *t.shape), "N(0,1)"
            elif t.dim() >= 2:
                fan_in = max(1, t[0].numel())
                std = min(max(gain / math.sqrt(fan_in), 0.02), wmax)
                v, rule = randn(g, *t.shape, scale=std), "N(0,%.4g)" % std
            else:
                v, rule = randn(g, *t.shape, scale=0.05), "N(0,0.05)"
            t.copy_(v)
            rules[name] = rule
    return rules


def calibrate_bn_(model, run, seed, affine_noise=0.05):
    """Data-dependent random BatchNorm statistics (README "BatchNorm calibration"): one eval
    forward (``run()``) with a pre-hook on every BatchNorm2d (execution order) setting
    running_mean = mean + 0.05*sqrt(var)*N(0,1) and running_var = var*U(0.8,1.25) +
    0.05*mean_c(var) + 1e-4 from the batch statistics of that BN's input."""
    g = gen(seed)
    hooks = []

    def pre(mod, inputs):
        x = inputs[0].detach()
        dims = [0] + list(range(2, x.dim()))
        mean = x.mean(dim=dims)
        var = x.var(dim=dims, unbiased=False)
        with torch.no_grad():
            mod.running_mean.copy_(mean + affine_noise * var.sqrt() * randn(g, *mean.shape))
            mod.running_var.copy_(var * rand(g, *var.shape, lo=0.8, hi=1.25)
                                  + 0.05 * var.mean() + 1e-4)

    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            hooks.append(m.register_forward_pre_hook(pre))
    try:
        model.eval()
        with torch.no_grad():
            run()
    finally:
        for h in hooks:
            h.remove()


def param_floats(model):
    return sum(t.numel() for t in model.state_dict().values() if t.is_floating_point())


# ---------------------------------------------------------------------------------------------
# fp64 replay

@contextlib.contextmanager
def fp64_replay():
    """The fp64 "error-estimation" replay: float64 default dtype (linspace, gdf schedule
    constants, ...) and ``Tensor.float()`` returning float64 (the official ``.float()`` casts,
    e.g. ``torch.arange(n).float()`` in gen_r_embedding, would otherwise drop back to float32).
    Only used to measure the fp32 error of each draw; never for the stored fp32 results."""
    orig = torch.Tensor.float
    dtype = torch.get_default_dtype()

    def patched(self, *args, **kwargs):
        return self.double()

    torch.Tensor.float = patched
    torch.set_default_dtype(torch.float64)
    try:
        yield
    finally:
        torch.Tensor.float = orig
        torch.set_default_dtype(dtype)


def to64(x):
    if isinstance(x, torch.Tensor):
        return x.double() if x.is_floating_point() else x
    if isinstance(x, list):
        return [to64(v) for v in x]
    if isinstance(x, dict):
        return {k: to64(v) for k, v in x.items()}
    return x


def rel_err(ref, other):
    """max|other-ref| / max|ref| (absolute when ref is all zero)."""
    ref = ref.double()
    other = other.double()
    d = (other - ref).abs().max().item() if ref.numel() else 0.0
    m = ref.abs().max().item() if ref.numel() else 0.0
    return d / m if m > 0 else d


# ---------------------------------------------------------------------------------------------
# calls

class Call:
    """One entry of a fixture's ``calls``: positional [(param, key)], keyword {param: spec} where
    spec is ("tensor", key) | ("tensor_list", [key|None]) | ("value", literal), outputs [key|None]."""

    def __init__(self, name, method, positional, keyword=None, outputs=None, note=""):
        self.name = name
        self.method = method
        self.positional = positional
        self.keyword = keyword or {}
        self.outputs = outputs or []
        self.note = note

    def to_json(self):
        kw = {}
        for k, (kind, v) in self.keyword.items():
            kw[k] = {kind: v}
        d = {"name": self.name, "method": self.method,
             "positional_args": [{"param": p, "tensor": k} for p, k in self.positional],
             "keyword_args": kw, "outputs": self.outputs}
        if self.note:
            d["note"] = self.note
        return d


# Sensitivity probes for the sinusoidal r-embedding (arguments r * 10000 * freq up to 1e4):
# * a network call gets r (and t-conditions) exactly, but a port's exp may round the embedding
#   frequencies one ulp differently (libtorch 2.7 and Debian torch 1.13 differ in ~10% of
#   float32 exp results): the probe moves every embedded input one ulp up (same relative shift);
# * a sampler computes r itself with gdf's float32 schedule (exp, acos, cos, log): a port with
#   another libm lands up to ~4 * 2^-24 away from torch's noise_cond (measured over 2,800
#   schedule points, most equal), so the sampler probe shifts r by R_SHIFT = 4 * 2^-24.
R_SHIFT = 4 * 2.0 ** -24


def next_ulp(t):
    """Every element moved one float32 ulp up."""
    return torch.nextafter(t, torch.full_like(t, math.inf))


def shift_r(t):
    """The sampler probe's absolute shift of r (R_SHIFT)."""
    return t + R_SHIFT


# relative amplitude of the incoherent noise the CFG-rescale probe adds to a model output (the
# worst port error measured on Stage B/C outputs is ~1e-4 of max|out|)
RESCALE_NOISE = 1e-4


def cfg_rescale_sensitivity(out, cfg, g):
    """Relative change of gdf's CFG std-rescale factor std(cond)/(std(lerp(uncond, cond, cfg))
    + 1e-9) when ``out`` (the batched [cond; uncond] model output) gets uniform noise of
    RESCALE_NOISE * max|out| per element.  A near-constant prediction makes that factor a ratio
    of rounding noise; such draws are refused."""
    def factor(o):
        pred, pred_u = o.double().chunk(2)
        return pred.std() / (torch.lerp(pred_u, pred, cfg).std() + 1e-9)

    amp = RESCALE_NOISE * out.abs().max().item()
    noisy = out.double() + (torch.rand(out.shape, generator=g, dtype=torch.float64) * 2 - 1) * amp
    f0 = factor(out).item()
    return abs(factor(noisy).item() / f0 - 1) if f0 > 0 else math.inf


def run_call(model, call, io, cast=None, perturb=()):
    """Runs ``call`` on ``model`` with tensors from ``io`` (optionally converted by ``cast``;
    parameters named in ``perturb`` moved one ulp up first); returns the flat result list
    aligned with ``call.outputs``."""
    base = cast or (lambda t: t)

    def arg(p, t):
        return base(next_ulp(t) if p in perturb else t)

    args = [arg(p, io[k]) for p, k in call.positional]
    kwargs = {}
    for p, (kind, v) in call.keyword.items():
        if kind == "tensor":
            kwargs[p] = arg(p, io[v])
        elif kind == "tensor_list":
            kwargs[p] = [None if k is None else base(io[k]) for k in v]
        else:
            kwargs[p] = v
    with torch.no_grad():
        out = getattr(model, call.method)(*args, **kwargs)
    if isinstance(out, (tuple, list)):
        out = list(out)
    else:
        out = [out]
    if len(out) != len(call.outputs):
        raise Reject(f"{call.name}: official returned {len(out)} values, expected "
                     f"{len(call.outputs)}")
    for key, v in zip(call.outputs, out):
        if key is None and v is not None:
            raise Reject(f"{call.name}: expected None at an output position")
        if key is not None and not isinstance(v, torch.Tensor):
            raise Reject(f"{call.name}: output {key} is not a tensor")
    return out


def check_finite(outputs):
    for k, v in outputs.items():
        if v.is_floating_point() and not torch.isfinite(v).all():
            raise Reject(f"non-finite output {k}")
        if v.numel() == 0:
            raise Reject(f"empty output {k}")


# ---------------------------------------------------------------------------------------------
# fixture description + files

class Fixture:
    def __init__(self, name, kind, seed, attempt, tolerance):
        self.name = name
        self.kind = kind
        self.json = {"fixture": name}
        self.io = {}          # key -> tensor (inputs and outputs, insertion order)
        self.outputs = []     # output keys (fp32_vs_fp64 recorded for float ones)
        self.errors = {}      # key -> fp32_vs_fp64 max rel err
        self.sensitivity = {}  # key -> max rel change under the sensitivity probe
        self.weights = None   # {key: tensor} or None
        self.extra_files = {}  # role -> (filename, writer callable)
        self.tolerance = tolerance
        self.generator = {"tool": "tools/parity-gen/gen.py", "format_version": FORMAT_VERSION,
                          "seed": seed, "kind": kind, "attempt": attempt}

    def add_input(self, key, t):
        if key in self.io:
            raise ValueError("duplicate io key " + key)
        self.io[key] = t.detach().clone().contiguous()

    def add_output(self, key, t, t64=None):
        self.io[key] = t.detach().clone().contiguous()
        self.outputs.append(key)
        if t64 is not None and t.is_floating_point():
            self.errors[key] = rel_err(t64, t)

    def io_table(self):
        return {k: {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape)}
                for k, v in self.io.items()}

    def write(self, out_dir):
        files = {}
        if self.weights is not None:
            files["weights"] = self.name + ".weights.safetensors"
            stio.write_safetensors(os.path.join(out_dir, files["weights"]), self.weights,
                                   {"fixture": self.name})
        files["io"] = self.name + ".io.safetensors"
        stio.write_safetensors(os.path.join(out_dir, files["io"]), self.io,
                               {"fixture": self.name})
        extra = {}
        for role, (fname, writer) in self.extra_files.items():
            writer(os.path.join(out_dir, fname))
            extra[role] = fname
        j = dict(self.json)
        j["fp32_vs_fp64_max_rel_err"] = {k: float("%.4g" % v) for k, v in self.errors.items()}
        if self.sensitivity:
            j["probe_sensitivity"] = {k: float("%.4g" % v) for k, v in self.sensitivity.items()}
        j["io_tensors"] = self.io_table()
        j["files"] = files
        if extra:
            j["files_extra"] = extra
        j["set"] = "generated"
        j["tolerance"] = self.tolerance
        j["generator"] = self.generator
        with open(os.path.join(out_dir, self.name + ".json"), "w") as f:
            json.dump(j, f, indent=1)
            f.write("\n")
        return j

    def add_sensitivity(self, key, perturbed):
        self.sensitivity[key] = rel_err(self.io[key], perturbed)

    def max_error(self):
        """Worst of the fp32-vs-fp64 errors and the probe sensitivities."""
        return max(list(self.errors.values()) + list(self.sensitivity.values()) + [0.0])


def state_dict_f32(model):
    """The official state_dict (keys unchanged) as contiguous tensors."""
    return {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
