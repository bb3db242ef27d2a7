"""Minimal safetensors reader/writer (the safetensors package is not installed here)."""

import json
import struct

import numpy as np
import torch

_CODES = {torch.float32: ("F32", "<f4"), torch.int64: ("I64", "<i8")}
_BACK = {"F32": "<f4", "I64": "<i8", "F64": "<f8"}


def write(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        code, np_type = _CODES[t.dtype]
        data = t.numpy().astype(np_type).tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def read(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        arr = np.frombuffer(data[b:e], dtype=np.dtype(_BACK[info["dtype"]])).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out
