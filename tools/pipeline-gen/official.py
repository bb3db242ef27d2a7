"""Imports the OFFICIAL Stable Cascade code (gdf + modules) unmodified.

Only import-level stubs are installed: packages that the official modules import at module level
but never run on the paths used here (kornia, cv2, insightface, onnx*, einops, wandb, safetensors,
webdataset, warmup_scheduler, munch) become empty modules, and ``torch.distributed.fsdp`` is
stubbed because Debian's torch 1.13 cannot import it under Python 3.11.  The same approach as the
parity fixtures (shared/parity/README.md, "Provenance"); no official file or function is changed.
"""

import importlib.abc
import importlib.machinery
import os
import sys
import types

_STUBBED = ("kornia", "cv2", "insightface", "onnx", "onnx2torch", "einops", "wandb",
            "safetensors", "onnxruntime", "webdataset", "warmup_scheduler", "munch")


class _Empty(types.ModuleType):
    def __init__(self, name):
        super().__init__(name)
        self.__path__ = []

    def __getattr__(self, item):
        if item.startswith("__"):
            raise AttributeError(item)
        child = sys.modules.setdefault(self.__name__ + "." + item, _Empty(self.__name__ + "." + item))
        return child

    def __call__(self, *args, **kwargs):
        return self

    def __mro_entries__(self, bases):
        return (object,)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in _STUBBED or name.startswith("torch.distributed.fsdp"):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        return _Empty(spec.name)

    def exec_module(self, module):
        pass


def load(root):
    """``root`` holds StableCascade/ and pytorch-tools/ (extracted from the bare mirrors)."""
    sc = os.path.join(root, "StableCascade")
    tt = os.path.join(root, "pytorch-tools")
    for probe in (os.path.join(sc, "gdf", "__init__.py"), os.path.join(tt, "torchtools", "nn", "vq.py")):
        if not os.path.isfile(probe):
            raise SystemExit(f"official code not found: {probe} (see README.md)")
    sys.meta_path.insert(0, _Finder())
    sys.path[:0] = [tt, sc]
    import torchvision
    real = torchvision.models.efficientnet_v2_s
    torchvision.models.efficientnet_v2_s = lambda weights=None, **kw: real(weights=None, **kw)
    import gdf
    import modules.stage_a as stage_a
    import modules.stage_b as stage_b
    import modules.stage_c as stage_c
    import modules.previewer as previewer
    return types.SimpleNamespace(gdf=gdf, stage_a=stage_a, stage_b=stage_b, stage_c=stage_c,
                                 previewer=previewer)
