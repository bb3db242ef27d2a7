"""Imports the OFFICIAL Stable Cascade trainers (train/train_c_lora.py, train_c.py, train_b.py)
unmodified, with import-level shims only (same approach as tools/parity-gen/official.py).

* Packages the trainers import at module level but never run on the paths used here are empty
  stubs: kornia, cv2, insightface, onnx*, einops, wandb, safetensors, webdataset, accelerate,
  matplotlib; ``munch`` is a module whose ``Munch`` is an empty dict subclass (the DTOs only test
  ``isinstance(v, Munch)``), and torch.distributed.fsdp (Debian's torch 1.13 cannot import it under
  Python 3.11). transformers is a real checkout, imported first by ``hf_clip`` (its CLIP models
  run unchanged).
* ``warmup_scheduler`` is the real package (ildoonet/pytorch-gradual-warmup-lr, which the official
  requirements install), imported from its checkout.
* ``torch.cuda.is_bf16_supported`` answers True (see ``load``): the trainers' CUDA autocast is
  disabled on a CPU-only torch and the runs are float32.
No official file is edited and no official function is replaced; the generator only rebinds the
names a trainer module looked up at import (``StageC``, ``load_or_fail``, the transformers
classes) to tiny stand-ins, which is how a tiny configuration reaches ``setup_models``.
"""

import importlib.abc
import importlib.machinery
import os
import sys
import types

STUB_ROOTS = (
    "kornia", "cv2", "insightface", "onnx", "onnx2torch", "einops", "wandb", "safetensors",
    "onnxruntime", "webdataset", "accelerate", "matplotlib",
)


class _Stub(types.ModuleType):
    def __init__(self, name):
        super().__init__(name)
        self.__path__ = []

    def __getattr__(self, item):
        if item.startswith("__"):
            raise AttributeError(item)
        full = self.__name__ + "." + item
        mod = sys.modules.get(full)
        if mod is None:
            mod = _Stub(full)
            sys.modules[full] = mod
        return mod

    def __call__(self, *args, **kwargs):
        return self

    def __mro_entries__(self, bases):
        return (object,)


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        root = fullname.split(".")[0]
        if root in STUB_ROOTS or fullname.startswith("torch.distributed.fsdp"):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        return _Stub(spec.name)

    def exec_module(self, module):
        pass


def load(sc_root, tt_root, warmup_root):
    """Makes the official packages importable; returns the three trainer modules and helpers."""
    sys.meta_path.insert(0, _StubFinder())
    munch = types.ModuleType("munch")
    munch.Munch = type("Munch", (dict,), {})  # core.utils.Base only tests isinstance(v, Munch)
    sys.modules.setdefault("munch", munch)
    for p in (warmup_root, tt_root, sc_root):
        if p not in sys.path:
            sys.path.insert(0, p)
    import torch
    import torch.distributed  # noqa: F401  (barrier etc. are imported by name only)

    # torch 1.13 checks bf16 support even for a CUDA autocast it has just disabled (no CUDA), and
    # that check crashes on a CPU-only build. The trainers' autocast(bfloat16) is therefore a
    # no-op here (float32), as on any torch without CUDA; answering the check changes nothing else.
    torch.cuda.is_bf16_supported = lambda: True

    import train.train_c_lora as train_c_lora
    import train.train_c as train_c
    import train.train_b as train_b
    import modules.stage_c as stage_c
    import modules.stage_b as stage_b
    import modules.stage_a as stage_a
    import modules.effnet as effnet
    import modules.previewer as previewer
    import gdf
    import core

    return types.SimpleNamespace(
        train_c_lora=train_c_lora, train_c=train_c, train_b=train_b, stage_c=stage_c,
        stage_b=stage_b, stage_a=stage_a, effnet=effnet, previewer=previewer, gdf=gdf, core=core)
