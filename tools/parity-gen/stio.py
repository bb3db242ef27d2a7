"""Small standalone writers: safetensors (the ``safetensors`` package is not available) and the
parity README's ``hashinit`` formula weights."""

import json
import struct

import numpy as np
import torch

_DTYPES = {
    torch.float32: ("F32", np.float32),
    torch.float64: ("F64", np.float64),
    torch.int64: ("I64", np.int64),
    torch.int32: ("I32", np.int32),
}


def write_safetensors(path, tensors, metadata=None):
    """Writes ``{name: tensor}`` (insertion order) as little-endian safetensors."""
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        code, np_type = _DTYPES[t.dtype]
        data = t.numpy().astype(np.dtype(np_type).newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Reads a safetensors file into ``{name: tensor}`` (used by self-checks)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    rev = {v[0]: v[1] for v in _DTYPES.values()}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        arr = np.frombuffer(data[b:e], dtype=np.dtype(rev[info["dtype"]]).newbyteorder("<"))
        out[name] = torch.from_numpy(arr.astype(rev[info["dtype"]]).reshape(info["shape"]).copy())
    return out


# ---------------------------------------------------------------------------------------------
# hashinit (parity README, section "hashinit")

def fnv1a32(text):
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def hashinit_values(seed, name, numel, scale, offset):
    """float32 values of one tensor, exactly as the README formula (numpy uint32/float32)."""
    key = np.uint32(fnv1a32(f"{seed}:{name}"))
    with np.errstate(over="ignore"):
        i = np.arange(numel, dtype=np.uint64).astype(np.uint32)
        x = (i * np.uint32(0x9E3779B9) + key).astype(np.uint32)
        x ^= x >> np.uint32(16)
        x = (x * np.uint32(0x85EBCA6B)).astype(np.uint32)
        x ^= x >> np.uint32(13)
        x = (x * np.uint32(0xC2B2AE35)).astype(np.uint32)
        x ^= x >> np.uint32(16)
    u = (x >> np.uint32(8)).astype(np.float32) * np.float32(2.0 ** -24)
    v = np.float32(2.0) * u - np.float32(1.0)
    return (v * np.float32(scale)).astype(np.float32) + np.float32(offset)


def f32_bits(v):
    return "0x%08x" % struct.unpack("<I", struct.pack("<f", v))[0]


def f32_text(v):
    return repr(float(np.float32(v)))
