"""Import the OFFICIAL Stable Cascade / torchtools code unmodified.

Only import-level shims are installed: packages that the official modules import at module
level but never execute on the code paths used here are replaced by empty stub modules, and
``torch.distributed.fsdp`` is stubbed because Debian's torch 1.13 cannot import it under
Python 3.11.  No official file is edited and no official function is replaced.
"""

import importlib.abc
import importlib.machinery
import os
import sys
import types

STUB_ROOTS = (
    "kornia", "cv2", "insightface", "onnx", "onnx2torch", "einops", "wandb", "safetensors",
    "onnxruntime", "webdataset", "warmup_scheduler", "munch",
)


class _Stub(types.ModuleType):
    """A module whose every attribute is another stub (classes/functions are never called)."""

    def __init__(self, name):
        super().__init__(name)
        self.__path__ = []  # behave like a package so submodule imports work

    def __getattr__(self, item):
        if item.startswith("__"):
            raise AttributeError(item)
        full = self.__name__ + "." + item
        mod = sys.modules.get(full)
        if mod is None:
            mod = _Stub(full)
            sys.modules[full] = mod
        return mod

    def __call__(self, *args, **kwargs):  # e.g. a stubbed class used as a base/decorator
        return self

    def __mro_entries__(self, bases):
        return (object,)


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, roots):
        self.roots = roots

    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] in self.roots or fullname.startswith("torch.distributed.fsdp"):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        return _Stub(spec.name)

    def exec_module(self, module):
        pass


def locate(official):
    """Returns (stable_cascade_root, torchtools_root) under ``official``.

    ``official`` may contain ``StableCascade/`` and ``pytorch-tools/`` (or be the StableCascade
    checkout itself with ``$TORCHTOOLS`` naming pytorch-tools)."""
    official = os.path.abspath(official)
    sc = os.path.join(official, "StableCascade")
    if not os.path.isdir(os.path.join(sc, "modules")):
        sc = official
    tt = os.environ.get("TORCHTOOLS") or os.path.join(official, "pytorch-tools")
    for p, probe in ((sc, "modules/stage_c.py"), (tt, "torchtools/nn/vq.py")):
        if not os.path.isfile(os.path.join(p, probe)):
            raise SystemExit(f"official checkout not found: {os.path.join(p, probe)} is missing")
    return sc, tt


def load(official):
    """Makes the official packages importable and returns a namespace of what we use."""
    sc, tt = locate(official)
    if not any(isinstance(f, _StubFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _StubFinder(STUB_ROOTS))
    for p in (tt, sc):
        if p not in sys.path:
            sys.path.insert(0, p)
    import torch
    import torchvision

    # The effnet/controlnet constructors call efficientnet_v2_s(weights='DEFAULT'), which would
    # download ImageNet weights; every tensor is overwritten anyway.  ``backbone_factory`` lets
    # the generator substitute a smaller torchvision EfficientNet (same block classes).
    state = {"factory": None}
    real = torchvision.models.efficientnet_v2_s

    def efficientnet_v2_s(weights=None, **kw):
        if state["factory"] is not None:
            return state["factory"]()
        return real(weights=None, **kw)

    torchvision.models.efficientnet_v2_s = efficientnet_v2_s

    import modules.stage_c as stage_c
    import modules.stage_b as stage_b
    import modules.stage_a as stage_a
    import modules.effnet as effnet
    import modules.previewer as previewer
    import modules.controlnet as controlnet
    import modules.lora as lora
    import modules.common as common
    import gdf
    import torchtools.nn.vq as vq

    ns = types.SimpleNamespace(
        stage_c=stage_c, stage_b=stage_b, stage_a=stage_a, effnet=effnet, previewer=previewer,
        controlnet=controlnet, lora=lora, common=common, gdf=gdf, vq=vq, backbone=state,
        sc_root=sc, tt_root=tt,
    )
    return ns


# git blob ids of the files whose code the fixtures run, at the pinned commits
# (Stability-AI/StableCascade 7a7d341f729ccaa042920a1fac3e7b9326079aca,
#  pabloppp/pytorch-tools 6472bd5e223142bfbe105e2006432252f1ce3709).
PINNED = {
    "StableCascade": {
        "gdf/__init__.py": "8b1868647eacc1738d38321bfb2130279e4e74fd",
        "gdf/noise_conditions.py": "dc2791f50a6f63eff8f9bed9b827f87517cc0be8",
        "gdf/samplers.py": "b6048c86a261d53d0440a3b2c1591a03d9978c4f",
        "gdf/scalers.py": "b1adb8b0269667f3d006c7d7d17cbf2b7ef56ca9",
        "gdf/schedulers.py": "caa6e174da1d766ea5828616bb8113865106b628",
        "gdf/targets.py": "433bd4cb9701d82561b1ec159a5653fcaf33e28a",
        "modules/common.py": "d811a1f3b0d1f33d87e541e2a07f551f295658fe",
        "modules/controlnet.py": "f99816543c238b091e017766c3468023e676080b",
        "modules/effnet.py": "062db91d09ceb58c8edf9a7cc80e82eed3a5b999",
        "modules/lora.py": "bc0a2bd797f3669a465f6c2c4255b52fe1bda7a7",
        "modules/previewer.py": "51ab24292d8ac0da8d24b17d8fc0ac9e1419a3d7",
        "modules/stage_a.py": "0849883bb4b1ced42928f7e7da2edfeace7b2e60",
        "modules/stage_b.py": "f89b42d61327278820e164b1c093cbf8d1048ee1",
        "modules/stage_c.py": "45f8babdbfea0a8d7fa84e51e3a610c4fa872f21",
    },
    "pytorch-tools": {
        "torchtools/nn/functional/vq.py": "f42e523eaa8d41cc33dd1e2027706cdd42cfd577",
        "torchtools/nn/vq.py": "135f2306798d31b312b2211abc4d87d53d1912f1",
    },
}
COMMITS = {"StableCascade": "7a7d341f729ccaa042920a1fac3e7b9326079aca",
           "pytorch-tools": "6472bd5e223142bfbe105e2006432252f1ce3709"}


def git_blob_id(path):
    import hashlib
    with open(path, "rb") as f:
        data = f.read()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def verify(ns, allow_modified=False):
    """Checks that the official files are byte-identical to the pinned commits."""
    bad = []
    for repo, root in (("StableCascade", ns.sc_root), ("pytorch-tools", ns.tt_root)):
        for rel, blob in PINNED[repo].items():
            got = git_blob_id(os.path.join(root, rel))
            if got != blob:
                bad.append(f"{repo}/{rel}: blob {got}, pinned {blob}")
    if bad and not allow_modified:
        raise SystemExit("official code differs from the pinned commits:\n  " + "\n  ".join(bad))
    return bad
