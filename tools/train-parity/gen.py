"""Training parity fixtures from the OFFICIAL trainers (see README.md).

    /usr/bin/python3 tools/train-parity/gen.py --official DIR --out cascade/src/test/resources/train-parity

DIR holds exported checkouts: StableCascade/, pytorch-tools/, transformers/, CLIP/, ftfy/, warmup/
(generate.sh makes it). Everything runs in float32 on the CPU with oneDNN off.
"""

import argparse
import functools
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools", "clip-ref"))

import hashinit  # noqa: E402
import official  # noqa: E402

TOKENIZER_DIR = os.path.join(ROOT, "cascade/src/test/resources/clip/reference/tokenizer")
EFFNET_JSON = os.path.join(ROOT, "cascade/src/test/resources/parity/effnet_tiny.json")
EFFNET_WEIGHTS = os.path.join(ROOT, "cascade/src/test/resources/parity/effnet_tiny.weights.safetensors")

SEED = 20250314
STAGE_C = {"c_in": 16, "c_out": 16, "c_r": 16, "patch_size": 1, "c_cond": 32, "c_hidden": [32, 32],
           "nhead": [2, 2], "blocks": [[1, 2], [2, 1]], "block_repeat": [[1, 1], [1, 1]],
           "level_config": ["CTA", "CTA"], "c_clip_text": 1280, "c_clip_text_pooled": 1280,
           "c_clip_img": 768, "c_clip_seq": 4, "kernel_size": 3, "dropout": [0.0, 0.0],
           "self_attn": True, "t_conds": ["sca", "crp"], "switch_level": [False]}
CLIP_TEXT = dict(vocab_size=8514, hidden_size=1280, intermediate_size=64, num_hidden_layers=1,
                 num_attention_heads=20, max_position_embeddings=77, hidden_act="gelu",
                 layer_norm_eps=1e-5, projection_dim=1280, bos_token_id=8512, eos_token_id=8513,
                 pad_token_id=8513)
CLIP_TEXT_SMALL = dict(vocab_size=8514, hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                       num_attention_heads=2, max_position_embeddings=77, hidden_act="gelu",
                       layer_norm_eps=1e-5, projection_dim=32, bos_token_id=8512, eos_token_id=8513,
                       pad_token_id=8513)
STAGE_C_SMALL = {"c_in": 16, "c_out": 16, "c_r": 8, "patch_size": 1, "c_cond": 16, "c_hidden": [16, 16],
                 "nhead": [1, 1], "blocks": [[1, 1], [1, 1]], "block_repeat": [[1, 1], [1, 1]],
                 "level_config": ["CTA", "CTA"], "c_clip_text": 32, "c_clip_text_pooled": 32,
                 "c_clip_img": 768, "c_clip_seq": 1, "kernel_size": 3, "dropout": [0.0, 0.0],
                 "self_attn": True, "t_conds": ["sca", "crp"], "switch_level": [False]}
STAGE_B_SMALL = {"c_in": 4, "c_out": 4, "c_r": 8, "patch_size": 2, "c_cond": 16, "c_hidden": [8, 16],
                 "nhead": [-1, 1], "blocks": [[1, 1], [1, 1]], "block_repeat": [[1, 1], [2, 1]],
                 "level_config": ["CT", "CTA"], "c_clip": 32, "c_clip_seq": 1, "c_effnet": 16,
                 "c_pixels": 3, "kernel_size": 3, "dropout": [0.0, 0.0], "self_attn": True,
                 "t_conds": ["sca"]}
# An EfficientNet backbone of stride 32 (train_b.py sizes its effnet buffer by image // 32).
EFFNET32_SETTING = [
    {"block": "FusedMBConv", "expand_ratio": 1, "kernel": 3, "stride": 2, "input_channels": 8, "out_channels": 8, "num_layers": 1},
    {"block": "FusedMBConv", "expand_ratio": 2, "kernel": 3, "stride": 2, "input_channels": 8, "out_channels": 16, "num_layers": 1},
    {"block": "MBConv", "expand_ratio": 2, "kernel": 3, "stride": 2, "input_channels": 16, "out_channels": 16, "num_layers": 1},
    {"block": "MBConv", "expand_ratio": 2, "kernel": 3, "stride": 2, "input_channels": 16, "out_channels": 24, "num_layers": 1}]
STAGE_A_JSON = os.path.join(ROOT, "cascade/src/test/resources/parity/stage_a.json")
STAGE_A_WEIGHTS = os.path.join(ROOT, "cascade/src/test/resources/parity/stage_a.weights.safetensors")
CLIP_VISION = dict(image_size=224, patch_size=32, hidden_size=32, intermediate_size=64,
                   num_hidden_layers=1, num_attention_heads=2, projection_dim=768,
                   hidden_act="quick_gelu", layer_norm_eps=1e-5, num_channels=3)


# ----------------------------------------------------------------------------------------------
# safetensors (no package on Debian)
def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        b, e = v["data_offsets"]
        dt = {"F32": np.float32, "I64": np.int64}[v["dtype"]]
        out[k] = torch.from_numpy(np.frombuffer(data[b:e], dtype=dt).copy()).view(v["shape"])
    return out


def write_safetensors(path, tensors, metadata=None):
    header, blobs, off = {}, [], 0
    for k, t in tensors.items():
        a = t.detach().cpu().contiguous().numpy()
        dt = {np.dtype(np.float32): "F32", np.dtype(np.int64): "I64"}[a.dtype]
        b = a.tobytes()
        header[k] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


# ----------------------------------------------------------------------------------------------
# The tokenizer: OpenAI CLIP's simple_tokenizer.py BPE over the fixture vocabulary (the first
# 8000 merges, as tools/clip-ref builds it), wrapped with the calls train_c_lora.py makes on the
# transformers tokenizer: add_tokens, vocab, decode, __call__(truncation, max_length padding).
class Tokenizer:
    model_max_length = 77

    def __init__(self, official_dir, work):
        sys.path.insert(0, os.path.join(official_dir, "ftfy"))
        sys.path.insert(0, os.path.join(official_dir, "CLIP", "clip"))
        import simple_tokenizer  # noqa: E402
        with open(os.path.join(TOKENIZER_DIR, "merges.txt"), encoding="utf-8") as f:
            merges = f.read().rstrip("\n")
        gz = os.path.join(work, "bpe_fixture.txt.gz")
        with gzip.open(gz, "wt", encoding="utf-8") as f:
            f.write(merges)
        self.st = simple_tokenizer.SimpleTokenizer(bpe_path=gz)
        with open(os.path.join(TOKENIZER_DIR, "vocab.json"), encoding="utf-8") as f:
            assert json.load(f) == self.st.encoder, "simple_tokenizer vocabulary != vocab.json"
        self.added = {}
        self.bos = self.st.encoder["<|startoftext|>"]
        self.eos = self.st.encoder["<|endoftext|>"]

    @property
    def vocab(self):
        v = dict(self.st.encoder)
        v.update(self.added)
        return v

    def __len__(self):
        return len(self.vocab)

    def add_tokens(self, tokens):
        n = 0
        for t in tokens:
            if t not in self.vocab:
                self.added[t] = len(self.vocab)
                n += 1
        return n

    def decode(self, i):
        for k, v in self.vocab.items():
            if v == i:
                return k
        raise KeyError(i)

    def ids(self, text):
        import re
        pieces = [text]
        if self.added:
            pat = "(" + "|".join(re.escape(t) for t in sorted(self.added, key=len, reverse=True)) + ")"
            pieces = re.split(pat, text)
        out = []
        for p in pieces:
            if p in self.added:
                out.append(self.added[p])
            elif p.strip():
                out += self.st.encode(p)
        return out

    def __call__(self, captions, truncation=True, padding="max_length", max_length=77,
                 return_tensors="pt"):
        rows, masks = [], []
        for c in captions:
            ids = [self.bos] + self.ids(c)[: max_length - 2] + [self.eos]
            masks.append([1] * len(ids) + [0] * (max_length - len(ids)))
            rows.append(ids + [self.eos] * (max_length - len(ids)))
        return Encoding(input_ids=torch.tensor(rows), attention_mask=torch.tensor(masks))


class Encoding(dict):
    def to(self, device):
        return self


# ----------------------------------------------------------------------------------------------
class Setup:
    """Tiny stand-ins bound to the names the official trainer modules looked up."""

    def __init__(self, off, args):
        import hf_import
        self.configuration_clip, self.modeling_clip = hf_import.load_modeling_clip(
            os.path.join(args.official, "transformers", "src"))
        self.ns = official.load(os.path.join(args.official, "StableCascade"),
                                os.path.join(args.official, "pytorch-tools"),
                                os.path.join(args.official, "warmup"))
        self.args = args
        self.specs = {}
        import torchvision
        from torchvision.models.efficientnet import EfficientNet, FusedMBConvConfig, MBConvConfig
        self.settings = {"tiny8": json.load(open(EFFNET_JSON))["config"]["inverted_residual_setting"],
                         "tiny32": EFFNET32_SETTING}
        self.backbone = "tiny8"
        self.text_config = CLIP_TEXT

        def build():
            setting = []
            for s in self.settings[self.backbone]:
                cls = FusedMBConvConfig if s["block"] == "FusedMBConv" else MBConvConfig
                setting.append(cls(s["expand_ratio"], s["kernel"], s["stride"], s["input_channels"],
                                   s["out_channels"], s["num_layers"]))
            return EfficientNet(setting, dropout=0.2, stochastic_depth_prob=0.2,
                                norm_layer=functools.partial(torch.nn.BatchNorm2d, eps=1e-3),
                                last_channel=1280)

        torchvision.models.efficientnet_v2_s = lambda weights=None, **kw: build()

    def text_model(self):
        c = self.configuration_clip.CLIPTextConfig(**self.text_config, attn_implementation="eager")
        m = self.modeling_clip.CLIPTextModelWithProjection(c)
        self.specs["clip_text"] = hashinit.fill(m, SEED + 1)
        return m.eval()

    def vision_model(self):
        c = self.configuration_clip.CLIPVisionConfig(**CLIP_VISION, attn_implementation="eager")
        m = self.modeling_clip.CLIPVisionModelWithProjection(c)
        self.specs["clip_vision"] = hashinit.fill(m, SEED + 2)
        return m.eval()

    def bind(self, mod, stage_c_config=None, generator_factory=None, generator_seed=SEED + 3,
             tokenizer=None):
        setup = self

        class _Tok:
            @staticmethod
            def from_pretrained(name):
                return tokenizer

        class _Text:
            @staticmethod
            def from_pretrained(name):
                return setup.text_model()

        class _Vision:
            @staticmethod
            def from_pretrained(name):
                return setup.vision_model()

        def load_or_fail(path, wandb_run_id=None):
            if path == "effnet":
                if self.backbone == "tiny8":
                    return read_safetensors(EFFNET_WEIGHTS)
                e = self.ns.effnet.EfficientNetEncoder()
                self.specs["effnet"] = hashinit.fill(e, SEED + 4)
                return e.state_dict()
            if path == "previewer":
                return self.ns.previewer.Previewer().state_dict()
            if path == "stage_a":
                return self.stage_a_state
            if path == "generator":
                g = generator_factory()
                self.specs["generator"] = hashinit.fill(g, generator_seed)
                return g.state_dict()
            raise KeyError(path)

        mod.AutoTokenizer = _Tok
        mod.CLIPTextModelWithProjection = _Text
        if hasattr(mod, "CLIPVisionModelWithProjection"):
            mod.CLIPVisionModelWithProjection = _Vision
        mod.load_or_fail = load_or_fail
        if hasattr(mod, "StageC"):
            mod.StageC = lambda **kw: generator_factory()
        if hasattr(mod, "StageB"):
            mod.StageB = lambda **kw: generator_factory()
        if hasattr(mod, "StageA"):
            cfg = json.load(open(STAGE_A_JSON))["config"]
            self.stage_a_state = read_safetensors(STAGE_A_WEIGHTS)
            mod.StageA = lambda **kw: self.ns.stage_a.StageA(**cfg)


def core_for(mod, config):
    core = object.__new__(mod.WurstCore)
    core.device = "cpu"
    core.process_id = 0
    core.is_main_node = True
    core.world_size = 1
    core.config = mod.WurstCore.Config(**config)
    core.info = mod.WurstCore.Info()
    return core


class Recorder:
    """Replays the RNG draws an official forward_pass made (numpy, then torch)."""

    def __init__(self):
        self.np_state = np.random.get_state()
        self.torch_state = torch.get_rng_state()

    def np_draws(self, calls):
        after = np.random.get_state()
        np.random.set_state(self.np_state)
        out = [c() for c in calls]
        check = np.random.get_state()
        assert check[0] == after[0] and (check[1] == after[1]).all() and check[2] == after[2], \
            "numpy draws differ from the replay"
        return out

    def torch_draws(self, calls):
        after = torch.get_rng_state()
        torch.set_rng_state(self.torch_state)
        out = [c() for c in calls]
        assert torch.equal(torch.get_rng_state(), after), "torch draws differ from the replay"
        return out


def images(gen, b, h, w):
    y = torch.linspace(0, 1, h).view(1, 1, h, 1)
    x = torch.linspace(0, 1, w).view(1, 1, 1, w)
    base = torch.rand(b, 3, 1, 1, generator=gen)
    wave = torch.sin(6.28 * (x * torch.rand(b, 3, 1, 1, generator=gen) * 3 + y * 2))
    noise = torch.rand(b, 3, h, w, generator=gen) * 0.2
    return (base * 0.5 + wave * 0.25 + noise).clamp(0, 1)


# ----------------------------------------------------------------------------------------------
def lora_fixture(setup, tok, out_dir, np_seed):
    ns = setup.ns
    mod = ns.train_c_lora
    setup.bind(mod, generator_factory=lambda: ns.stage_c.StageC(**STAGE_C), tokenizer=tok)
    settings = dict(rank=4, module_filters=[".attn"],
                    train_tokens=[["[fernando]", "^dog</w>"], ["^cat", None]],
                    lr=1e-3, warmup_updates=2, grad_accum_steps=2, updates=3)
    core = core_for(mod, dict(
        experiment_id="x", checkpoint_path="/nonexistent", output_path="/nonexistent",
        model_version="3.6B", effnet_checkpoint_path="effnet", previewer_checkpoint_path="previewer",
        generator_checkpoint_path="generator", module_filters=settings["module_filters"],
        rank=settings["rank"], train_tokens=settings["train_tokens"], lr=settings["lr"],
        warmup_updates=settings["warmup_updates"], grad_accum_steps=settings["grad_accum_steps"],
        batch_size=4, image_size=48, webdataset_path="none", updates=settings["updates"],
        backup_every=1000, save_every=1000, use_fsdp=False, training=True))
    extras = core.setup_extras_pre()
    torch.manual_seed(SEED)
    models = core.setup_models(extras)
    optimizers = core.setup_optimizers(extras, models)
    schedulers = core.setup_schedulers(extras, models, optimizers)

    io = {}
    lora_sd = {k: v.detach().clone() for k, v in models.lora.state_dict().items()}
    for k, v in lora_sd.items():
        if k.endswith("lora_up"):
            io["init." + k] = v
    gen = torch.Generator().manual_seed(SEED + 10)
    captions_pool = ["a photo of [fernando] on the grass", "a cat next to [fernando]",
                     "[fernando] running", "a small dog and a cat", "[fernando] asleep on a sofa",
                     "two cats", "a drawing of [fernando]", "[fernando] in the snow"]
    b, h, w = 2, 32, 24
    batches = []
    for i in range(settings["updates"] * settings["grad_accum_steps"]):
        batches.append({"images": images(gen, b, h, w),
                        "captions": [captions_pool[(2 * i + k) % len(captions_pool)] for k in range(b)]})
    data = mod.WurstCore.Data(dataset=None, dataloader=None, iterator=iter(batches))
    np_seed = pick_np_seed(np_seed, max_iters_of(settings), b)
    np.random.seed(np_seed)
    iters = []
    max_iters = settings["updates"] * settings["grad_accum_steps"]
    for i in range(1, max_iters + 1):
        rec = Recorder()
        loss, loss_adjusted = core.forward_pass(data, extras, models)
        cap_u, img_u = rec.np_draws([lambda: np.random.rand(b), lambda: np.random.rand(b)])
        lat_shape = (b, 16, h // 8, w // 8)
        eps, u = rec.torch_draws([lambda: torch.randn(lat_shape), lambda: torch.rand(b)])
        t = (1 - u).add(0.001).clamp(0.001, 1.0)
        update = i % settings["grad_accum_steps"] == 0 or i == max_iters
        lr = optimizers.lora.param_groups[0]["lr"]
        grad_norm = core.backward_pass(update, loss, loss_adjusted, models, optimizers, schedulers)
        io["iter%d.images" % i] = batches[i - 1]["images"]
        io["iter%d.epsilon" % i] = eps
        iters.append({"iteration": i, "captions": batches[i - 1]["captions"],
                      "caption_uniforms": cap_u.tolist(), "image_uniforms": img_u.tolist(),
                      "t": t.tolist(), "update": update, "loss": loss.tolist(),
                      "loss_adjusted": loss_adjusted.item(),
                      "grad_norm": grad_norm.item() if update else 0.0,
                      "lr": lr if update else 0.0})
        if update and core.info.total_steps in (1, 3):
            for k, v in models.lora.state_dict().items():
                io["after%d.%s" % (core.info.total_steps, k)] = v.detach().clone()
    dropped = sum(1 for it in iters for u in it["caption_uniforms"] if u <= 0.05)
    with_image = sum(1 for it in iters for u in it["image_uniforms"] if u > 0.9)
    meta = {
        "about": "train/train_c_lora.py (official, unmodified) on tiny networks: forward_pass and "
                 "backward_pass per iteration i = 1..%d with grad_accum_steps %d (updates at even i)"
                 % (max_iters, settings["grad_accum_steps"]),
        "settings": settings, "stage_c": STAGE_C, "clip_text": CLIP_TEXT, "clip_vision": CLIP_VISION,
        "effnet": "parity/effnet_tiny.json + effnet_tiny.weights.safetensors (dev set)",
        "tokenizer": "clip/reference/tokenizer (8514 entries)",
        "train_tokens_resolved": [[int(i), s] for i, s in core.info.train_tokens],
        "np_seed": np_seed, "dropped_captions": dropped, "image_embedding_rows": with_image,
        "hashinit": {"clip_text": {"seed": SEED + 1, "tensors": setup.specs["clip_text"]},
                     "clip_vision": {"seed": SEED + 2, "tensors": setup.specs["clip_vision"]},
                     "stage_c": {"seed": SEED + 3, "tensors": setup.specs["generator"]}},
        "iterations": iters,
    }
    write_safetensors(os.path.join(out_dir, "lora.io.safetensors"), io)
    with open(os.path.join(out_dir, "lora.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print("lora: %d iterations, %d dropped captions, %d image rows, losses %s" % (
        max_iters, dropped, with_image, [round(sum(i["loss"]) / b, 5) for i in iters]))


def buckets_fixture(setup, out_dir):
    """The official Bucketeer's sizes, nearest buckets and resize sizes (multi-aspect data)."""
    from fractions import Fraction
    from core.data.bucketeer import Bucketeer
    import torch.utils.data
    ratios_text = ["1/1", "1/2", "1/3", "2/3", "3/4", "1/5", "2/5", "3/5", "4/5", "1/6", "5/6", "9/16"]
    out = {"ratios": ratios_text, "cases": []}
    shapes = [(768, 768), (1024, 768), (768, 1024), (600, 2000), (2000, 600), (512, 300), (333, 777),
              (1080, 1920), (1920, 1080), (100, 101), (64, 48)]
    for size in (768, 384, 64, 48):
        dl = torch.utils.data.DataLoader([0], batch_size=1)
        b = Bucketeer(dl, density=size ** 2, factor=32 if size >= 128 else 8,
                      ratios=[float(Fraction(f)) for f in ratios_text], p_random_ratio=0)
        case = {"image_size": size, "factor": 32 if size >= 128 else 8,
                "ratios": b.ratios, "sizes": [list(x) for x in b.sizes], "images": []}
        for h, w in shapes:
            tgt = b.get_closest_size(torch.zeros(3, h, w))
            case["images"].append({"h": h, "w": w, "bucket": list(tgt),
                                   "resize": b.get_resize_size((h, w), tgt)})
        out["cases"].append(case)
    with open(os.path.join(out_dir, "buckets.json"), "w") as f:
        json.dump(out, f, indent=1)


def finetune_fixture(setup, tok, out_dir, stage, np_seed):
    """One-update (x2) fixtures of train_c.py / train_b.py with EMA."""
    ns = setup.ns
    setup.text_config = CLIP_TEXT_SMALL
    if stage == "c":
        mod, config, factory = ns.train_c, STAGE_C_SMALL, lambda: ns.stage_c.StageC(**STAGE_C_SMALL)
        setup.backbone = "tiny8"
        b, h, w = 2, 32, 24
    else:
        mod, config, factory = ns.train_b, STAGE_B_SMALL, lambda: ns.stage_b.StageB(**STAGE_B_SMALL)
        setup.backbone = "tiny32"
        b, h, w = 2, 96, 64
    setup.bind(mod, generator_factory=factory, generator_seed=SEED + 5, tokenizer=tok)
    settings = dict(lr=1e-3, warmup_updates=1, grad_accum_steps=1, updates=2,
                    ema_start_iters=1, ema_iters=1, ema_beta=0.9)
    cfg = dict(experiment_id="x", checkpoint_path="/nonexistent", output_path="/nonexistent",
               effnet_checkpoint_path="effnet", generator_checkpoint_path="generator",
               lr=settings["lr"], warmup_updates=settings["warmup_updates"],
               grad_accum_steps=settings["grad_accum_steps"], batch_size=b, image_size=h,
               webdataset_path="none", updates=settings["updates"], backup_every=1000,
               save_every=1000, use_fsdp=False, ema_start_iters=settings["ema_start_iters"],
               ema_iters=settings["ema_iters"], ema_beta=settings["ema_beta"], training=True)
    if stage == "c":
        cfg.update(model_version="3.6B", previewer_checkpoint_path="previewer")
    else:
        cfg.update(model_version="700M", stage_a_checkpoint_path="stage_a", shift=4)
    core = core_for(mod, cfg)
    extras = core.setup_extras_pre()
    torch.manual_seed(SEED)
    models = core.setup_models(extras)
    optimizers = core.setup_optimizers(extras, models)
    schedulers = core.setup_schedulers(extras, models, optimizers)
    models.generator.train()
    gen = torch.Generator().manual_seed(SEED + 20)
    pool = ["a photo of a cat", "a dog on the grass", "two cats asleep", "a red car"]
    iters_n = settings["updates"] * settings["grad_accum_steps"]
    batches = [{"images": images(gen, b, h, w), "captions": [pool[(2 * i + k) % 4] for k in range(b)]}
               for i in range(iters_n)]
    data = mod.WurstCore.Data(dataset=None, dataloader=None, iterator=iter(batches))
    io, iters = {}, []
    np.random.seed(np_seed)
    for i in range(1, iters_n + 1):
        rec = Recorder()
        loss, loss_adjusted = core.forward_pass(data, extras, models)
        entry = {"iteration": i, "captions": batches[i - 1]["captions"]}
        if stage == "c":
            cap_u, img_u = rec.np_draws([lambda: np.random.rand(b), lambda: np.random.rand(b)])
            entry.update(caption_uniforms=cap_u.tolist(), image_uniforms=img_u.tolist())
            shapes = [(b, 16, h // 8, w // 8)]
        else:
            f, eff_u, cap_u = rec.np_draws([lambda: np.random.uniform(0.5, 1),
                                            lambda: np.random.rand(b), lambda: np.random.rand(b)])
            entry.update(effnet_factor=float(f), effnet_uniforms=eff_u.tolist(),
                         caption_uniforms=cap_u.tolist())
            lat = (b, 4, h // 4, w // 4)
            shapes = [lat]
            for lvl in range(1, 10):
                s_ = lat[2] // (2 ** lvl)
                if 1 <= s_ <= 16:
                    shapes.append((b, 4, s_, s_))
                if s_ <= 1:
                    break
        draws = rec.torch_draws([(lambda sh=sh: torch.randn(sh)) for sh in shapes] + [lambda: torch.rand(b)])
        t = (1 - draws[-1]).add(0.001).clamp(0.001, 1.0)
        for k, d in enumerate(draws[:-1]):
            io["iter%d.normal%d" % (i, k)] = d
        lr = optimizers.generator.param_groups[0]["lr"]
        grad_norm = core.backward_pass(True, loss, loss_adjusted, models, optimizers, schedulers)
        if models.generator_ema is not None and i % settings["ema_iters"] == 0:
            setup.ns.core.utils.update_weights_ema(
                models.generator_ema, models.generator,
                beta=(settings["ema_beta"] if i > settings["ema_start_iters"] else 0))
        io["iter%d.images" % i] = batches[i - 1]["images"]
        entry.update(t=t.tolist(), loss=loss.tolist(), loss_adjusted=loss_adjusted.item(),
                     grad_norm=grad_norm.item(), lr=lr, update=True, normals=len(draws) - 1)
        iters.append(entry)
        if i == iters_n:  # update 1 runs at lr 0 (the warm-up starts at 0) and EMA beta 0 copies
            for k, v in models.generator.state_dict().items():
                io["after%d.generator.%s" % (i, k)] = v.detach().clone()
            for k, v in models.generator_ema.state_dict().items():
                io["after%d.ema.%s" % (i, k)] = v.detach().clone()
    name = "finetune_" + stage
    meta = {"about": "train/train_%s.py (official, unmodified): forward_pass, backward_pass and "
                     "update_weights_ema as TrainingCore.train runs them, 2 updates" % stage,
            "settings": settings, "generator": config, "clip_text": CLIP_TEXT_SMALL,
            "clip_vision": CLIP_VISION, "np_seed": np_seed,
            "hashinit": {"clip_text": {"seed": SEED + 1, "tensors": setup.specs["clip_text"]},
                         "generator": {"seed": SEED + 5, "tensors": setup.specs["generator"]}},
            "iterations": iters}
    if stage == "c":
        meta["hashinit"]["clip_vision"] = {"seed": SEED + 2, "tensors": setup.specs["clip_vision"]}
        meta["effnet"] = "parity/effnet_tiny (dev set)"
    else:
        meta["hashinit"]["effnet"] = {"seed": SEED + 4, "tensors": setup.specs["effnet"]}
        meta["effnet_config"] = {
            "c_latent": 16, "inverted_residual_setting": EFFNET32_SETTING,
            "backbone": json.load(open(EFFNET_JSON))["config"]["backbone"]}
        meta["stage_a"] = "parity/stage_a (dev set)"
    write_safetensors(os.path.join(out_dir, name + ".io.safetensors"), io)
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump(meta, f, indent=1)
    print("%s: losses %s grad norms %s lr %s" % (name, [i["loss"] for i in iters],
                                                [i["grad_norm"] for i in iters], [i["lr"] for i in iters]))


def max_iters_of(settings):
    return settings["updates"] * settings["grad_accum_steps"]


def pick_np_seed(start, iters, b):
    """First numpy seed from ``start`` whose draws drop a caption and pick a CLIP image row."""
    for s in range(start, start + 10000):
        rs = np.random.RandomState(s)
        draws = [(rs.rand(b), rs.rand(b)) for _ in range(iters)]
        if any((c <= 0.05).any() for c, _ in draws) and any((i > 0.9).any() for _, i in draws):
            return s
    raise SystemExit("no numpy seed found")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--official", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--work", default="/tmp/train-parity-work")
    ap.add_argument("--np-seed", type=int, default=11)
    args = ap.parse_args()
    torch.backends.mkldnn.enabled = False
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.work, exist_ok=True)
    setup = Setup(official, args)
    tok = Tokenizer(args.official, args.work)
    buckets_fixture(setup, args.out)
    lora_fixture(setup, tok, args.out, args.np_seed)
    finetune_fixture(setup, tok, args.out, "c", 3)
    finetune_fixture(setup, tok, args.out, "b", 4)


if __name__ == "__main__":
    main()
