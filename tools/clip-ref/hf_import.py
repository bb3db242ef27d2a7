"""Imports transformers' modeling_clip.py from a source checkout on Debian's torch 1.13.

The packages transformers imports at module level but that Debian does not ship (huggingface_hub,
safetensors, tokenizers, accelerate) are replaced by empty import-level stubs: any attribute is a
dummy class. None of them is used by the CLIP forward pass; the math is transformers' own code,
unchanged. The runtime dependency version check is skipped for the same reason.
"""

import importlib.abc
import importlib.machinery
import sys
import types

STUBBED = ("huggingface_hub", "safetensors", "tokenizers", "accelerate")


def _dummy_function(*args, **kwargs):
    """Stands for a function of a stubbed package; used as a decorator it returns the function."""
    if len(args) == 1 and not kwargs and callable(args[0]):
        return args[0]
    return _dummy_function


class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if name.isupper():  # constants such as huggingface_hub.constants.HF_HOME
            value = "/nonexistent/" + name
        elif name[0].isupper():
            value = type(name, (object,), {"__init__": lambda self, *a, **k: None})
        else:
            value = _dummy_function
        setattr(self, name, value)
        return value


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in STUBBED:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _StubModule(spec.name)
        module.__path__ = []
        module.__version__ = "0.0.0-stub"
        return module

    def exec_module(self, module):
        pass


def load_modeling_clip(transformers_src):
    """Returns transformers.models.clip.modeling_clip from <checkout>/src."""
    sys.meta_path.insert(0, _StubFinder())
    check = types.ModuleType("transformers.dependency_versions_check")
    check.dep_version_check = lambda pkg, hint=None: None
    sys.modules["transformers.dependency_versions_check"] = check
    sys.path.insert(0, transformers_src)
    from transformers.models.clip import configuration_clip, modeling_clip  # noqa: E402

    return configuration_clip, modeling_clip
