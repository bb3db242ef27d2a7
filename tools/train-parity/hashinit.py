"""Formula weights shared with the Java test (io.cascadefarm.cascade.tools.parity.HashInit): FNV-1a 32 of
"<seed>:<name>", murmur3 fmix32 of i*0x9E3779B9 + key, top 24 bits -> u in [0,1),
w = float32(float32((2u-1)*scale) + offset)."""

import numpy as np
import torch

M32 = 0xFFFFFFFF


def key(seed, name):
    h = 0x811C9DC5
    for b in ("%d:%s" % (seed, name)).encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & M32
    return h


def values(seed, name, n, scale, offset):
    k = np.uint64(key(seed, name))
    i = np.arange(n, dtype=np.uint64)
    x = (i * np.uint64(0x9E3779B9) + k) & np.uint64(M32)
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x85EBCA6B)) & np.uint64(M32)
    x ^= x >> np.uint64(13)
    x = (x * np.uint64(0xC2B2AE35)) & np.uint64(M32)
    x ^= x >> np.uint64(16)
    u = (x >> np.uint64(8)).astype(np.float32) * np.float32(2.0 ** -24)
    v = np.float32(2.0) * u - np.float32(1.0)
    return (v * np.float32(scale)).astype(np.float32) + np.float32(offset)


def rule(name, shape):
    """(scale, offset) for a state_dict entry."""
    last = name.rsplit(".", 1)[-1]
    if last == "running_var":
        return 0.5, 1.0
    if last == "running_mean":
        return 0.1, 0.0
    if len(shape) >= 2 and last in ("weight", "in_proj_weight"):
        fan_in = int(np.prod(shape[1:]))
        return float(np.float32(np.sqrt(3.0 / fan_in))), 0.0
    if last in ("gamma", "beta"):
        return 0.2, 0.0
    if len(shape) == 1 and last == "weight":
        return 0.2, 1.0
    return 0.05, 0.0


def fill(module, seed, skip=()):
    """Overwrites every floating state_dict entry of ``module``; returns the spec list."""
    spec = []
    sd = module.state_dict()
    with torch.no_grad():
        for name, t in sd.items():
            if not t.is_floating_point() or any(name.startswith(s) for s in skip):
                continue
            scale, offset = rule(name, list(t.shape))
            t.copy_(torch.from_numpy(values(seed, name, t.numel(), scale, offset)).view(t.shape))
            spec.append({"name": name, "shape": list(t.shape), "scale": scale, "offset": offset})
    return spec
