"""Times the OFFICIAL Stable Cascade Stage C / Stage B forwards for `farm bench net --official`.

Run by the Java side as a child process (one per benchmark run) and driven over stdin/stdout, one
command per line, so that the port's and the official forwards can be interleaved in one run on a
shared machine:

    load <case> <network> <batch> <height> <width> <kwargs-json>
        builds modules.stage_c.StageC / modules.stage_b.StageB(**kwargs) with random weights drawn
        like the port's RandomWeightSource (rank >= 2: N(0, clamp(1/sqrt(fan_in), 0.02, 0.2));
        1-D weight: 1 + N(0, 0.1); other 1-D: N(0, 0.05)), and random inputs of the port's bench
        shapes; answers "READY <case> <params>"
    run <case>
        one forward under torch.inference_mode(); answers
        "RESULT <case> <wall ms> <cpu ms>" (CPU = user + system of this process, all threads)
    quit

The official code is imported unmodified (only import-level stubs for packages that the modules
import but never run here, and torch.distributed.fsdp which Debian's torch 1.13 cannot import under
Python 3.11), from a directory holding StableCascade/ (modules, gdf, core) and pytorch-tools/.
Thread count: --threads N sets torch.set_num_threads(N); the Java side also sets OMP_NUM_THREADS
and OPENBLAS_NUM_THREADS for this process, so both sides compute with the same number of threads.
"""

import argparse
import importlib.abc
import importlib.machinery
import json
import math
import os
import sys
import time
import types

STUB_ROOTS = (
    "kornia", "cv2", "insightface", "onnx", "onnx2torch", "einops", "wandb", "safetensors",
    "onnxruntime", "webdataset", "warmup_scheduler", "munch",
)


class _Stub(types.ModuleType):
    """A module whose every attribute is another stub (never called on the paths timed here)."""

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


def import_official(official):
    official = os.path.abspath(official)
    sc = os.path.join(official, "StableCascade")
    if not os.path.isdir(os.path.join(sc, "modules")):
        sc = official
    tt = os.environ.get("TORCHTOOLS") or os.path.join(official, "pytorch-tools")
    for p, probe in ((sc, "modules/stage_c.py"), (sc, "modules/stage_b.py")):
        if not os.path.isfile(os.path.join(p, probe)):
            raise SystemExit("official checkout not found: %s is missing" % os.path.join(p, probe))
    sys.meta_path.insert(0, _StubFinder(STUB_ROOTS))
    for p in (tt, sc):
        if os.path.isdir(p) and p not in sys.path:
            sys.path.insert(0, p)
    import modules.stage_b as stage_b
    import modules.stage_c as stage_c
    return stage_c, stage_b


def randomize(torch, net):
    """Weights drawn as the port's RandomWeightSource draws them (speed does not depend on them,
    but both sides see the same distributions, e.g. no zero-initialised layers on one side)."""
    with torch.no_grad():
        for name, p in list(net.named_parameters()) + list(net.named_buffers()):
            if not p.is_floating_point():
                continue
            if name.endswith("running_var"):
                p.fill_(1.0)
            elif p.dim() <= 1:
                if name.endswith("weight"):
                    p.normal_(1.0, 0.1)
                else:
                    p.normal_(0.0, 0.05)
            else:
                fan_in = p.numel() // p.shape[0]
                p.normal_(0.0, min(0.2, max(0.02, 1.0 / math.sqrt(fan_in))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--official", required=True, help="directory with StableCascade/ and pytorch-tools/")
    ap.add_argument("--threads", type=int, required=True)
    args = ap.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    stage_c, stage_b = import_official(args.official)
    out = sys.stdout
    out.write("HELLO torch %s threads %d interop %d\n"
              % (torch.__version__, torch.get_num_threads(), torch.get_num_interop_threads()))
    out.flush()
    nets = {}
    for line in sys.stdin:
        parts = line.strip().split(" ", 6)
        if not parts or not parts[0]:
            continue
        cmd = parts[0]
        if cmd == "quit":
            break
        if cmd == "load":
            name, network = parts[1], parts[2]
            b, h, w = int(parts[3]), int(parts[4]), int(parts[5])
            kwargs = json.loads(parts[6])
            nets.clear()
            if network == "stage_c":
                net = stage_c.StageC(**kwargs).eval()
                c_in = kwargs.get("c_in", 16)
                inputs = dict(
                    x=torch.randn(b, c_in, h, w),
                    r=torch.rand(b),
                    clip_text=torch.randn(b, 77, kwargs.get("c_clip_text", 1280)),
                    clip_text_pooled=torch.randn(b, 1, kwargs.get("c_clip_text_pooled", 1280)),
                    clip_img=torch.randn(b, 1, kwargs.get("c_clip_img", 768)),
                )
            elif network == "stage_b":
                net = stage_b.StageB(**kwargs).eval()
                c_in = kwargs.get("c_in", 4)
                inputs = dict(
                    x=torch.randn(b, c_in, h, w),
                    r=torch.rand(b),
                    effnet=torch.randn(b, kwargs.get("c_effnet", 16), max(1, h * 3 // 32),
                                       max(1, w * 3 // 32)),
                    clip=torch.randn(b, 1, kwargs.get("c_clip", 1280)),
                )
            else:
                raise SystemExit("unknown network " + network)
            randomize(torch, net)
            nets[name] = (net, inputs)
            params = sum(p.numel() for p in net.parameters())
            out.write("READY %s %d\n" % (name, params))
            out.flush()
        elif cmd == "run":
            net, inputs = nets[parts[1]]
            c0 = time.process_time()
            t0 = time.perf_counter()
            with torch.inference_mode():
                y = net(**inputs)
            wall = (time.perf_counter() - t0) * 1000.0
            cpu = (time.process_time() - c0) * 1000.0
            del y
            out.write("RESULT %s %.3f %.3f\n" % (parts[1], wall, cpu))
            out.flush()
        else:
            raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main()
