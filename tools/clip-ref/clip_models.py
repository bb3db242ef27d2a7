"""Tiny random-weight CLIP text and vision models run by transformers' own modeling_clip.py.

Every model has exactly the key layout of the transformers class it instantiates
(CLIPTextModelWithProjection, CLIPTextModel, CLIPVisionModelWithProjection, CLIPVisionModel).
Weights are drawn with a fixed seed, rounded to float16 (stored as F16, so the file is small and
the port loads exactly the values the reference used) and the reference runs in float64; the
outputs are stored as float32.
"""

import json
import os
import struct

import numpy as np
import torch

# Config fields as in transformers' CLIPTextConfig / CLIPVisionConfig. The first text config has the
# layout of Stable Cascade's bigG text tower (gelu, projection_dim == hidden_size); the others vary
# widths, heads, layers, max positions, activation, projection, pooling rule and epsilon.
TEXT_CONFIGS = [
    dict(
        name="text_bigg_like",
        with_projection=True,
        vocab_size=96,
        hidden_size=40,
        intermediate_size=88,
        num_hidden_layers=3,
        num_attention_heads=5,
        max_position_embeddings=77,
        hidden_act="gelu",
        projection_dim=40,
        layer_norm_eps=1e-5,
        bos_token_id=94,
        eos_token_id=95,
        pad_token_id=95,
    ),
    dict(
        name="text_odd_quick_gelu",
        with_projection=True,
        vocab_size=61,
        hidden_size=30,
        intermediate_size=47,
        num_hidden_layers=2,
        num_attention_heads=3,
        max_position_embeddings=20,
        hidden_act="quick_gelu",
        projection_dim=17,
        layer_norm_eps=1e-5,
        bos_token_id=59,
        eos_token_id=60,
        pad_token_id=0,
    ),
    dict(
        # transformers' legacy rule for configs with eos_token_id == 2: pool at the largest id
        name="text_legacy_argmax",
        with_projection=True,
        vocab_size=50,
        hidden_size=24,
        intermediate_size=40,
        num_hidden_layers=1,
        num_attention_heads=2,
        max_position_embeddings=16,
        hidden_act="gelu",
        projection_dim=24,
        layer_norm_eps=1e-6,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=2,
    ),
    dict(
        name="text_no_projection",
        with_projection=False,
        vocab_size=40,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        max_position_embeddings=77,
        hidden_act="gelu",
        layer_norm_eps=1e-5,
        bos_token_id=38,
        eos_token_id=39,
        pad_token_id=39,
    ),
]

# Pipeline config: the vocabulary of the tokenizer fixture, so ClipTextEncoder runs end to end
# (tokenizer + model) on prompts whose ids come from the reference (fast) tokenizer.
TEXT_PIPELINE = dict(
    name="text_pipeline",
    with_projection=True,
    vocab_size=None,  # set from the tokenizer fixture
    hidden_size=16,
    intermediate_size=36,
    num_hidden_layers=2,
    num_attention_heads=2,
    max_position_embeddings=77,
    hidden_act="gelu",
    projection_dim=16,
    layer_norm_eps=1e-5,
)

PIPELINE_PROMPTS = [
    "a photo of a cat",
    "",
    "an astronaut riding a horse on the moon, highly detailed, 8k",
    "a cat 🐱 and a dog 🐶",
    " ".join(["a"] * 80),
]

VISION_CONFIGS = [
    dict(
        name="vision_vitl_like",
        with_projection=True,
        image_size=28,
        patch_size=14,
        hidden_size=36,
        intermediate_size=60,
        num_hidden_layers=2,
        num_attention_heads=3,
        projection_dim=20,
        hidden_act="quick_gelu",
        layer_norm_eps=1e-5,
    ),
    dict(
        name="vision_odd_gelu",
        with_projection=True,
        image_size=30,
        patch_size=6,
        hidden_size=24,
        intermediate_size=37,
        num_hidden_layers=3,
        num_attention_heads=6,
        projection_dim=24,
        hidden_act="gelu",
        layer_norm_eps=1e-5,
    ),
    dict(
        name="vision_no_projection",
        with_projection=False,
        image_size=32,
        patch_size=8,
        hidden_size=20,
        intermediate_size=36,
        num_hidden_layers=1,
        num_attention_heads=4,
        hidden_act="quick_gelu",
        layer_norm_eps=1e-5,
    ),
]

# fixtures whose weight file also carries the optional embeddings.position_ids buffer
WITH_POSITION_IDS = ("text_bigg_like", "vision_vitl_like")

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


def write_safetensors(path, tensors, metadata=None):
    """Minimal safetensors writer (little-endian, header padded to 8 bytes)."""
    codes = {
        np.dtype("float16"): "F16",
        np.dtype("float32"): "F32",
        np.dtype("int64"): "I64",
    }
    header = {}
    blobs = []
    offset = 0
    for key in sorted(tensors):
        a = np.ascontiguousarray(tensors[key])
        data = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[key] = {
            "dtype": codes[a.dtype],
            "shape": list(a.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def randomize(model, gen):
    """Float16-exact random weights, scaled so that every layer changes its input noticeably."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name and name.endswith(".weight"):  # every LayerNorm (pre_layrnorm too)
                v = 1.0 + 0.2 * torch.randn(p.shape, generator=gen, dtype=torch.float64)
            elif name.endswith("bias"):
                v = 0.2 * torch.randn(p.shape, generator=gen, dtype=torch.float64)
            elif "embedding" in name and "patch_embedding" not in name:
                v = torch.randn(p.shape, generator=gen, dtype=torch.float64)
            else:  # Linear and Conv2d (patch_embedding) weights: fan-in scaling
                fan_in = int(np.prod(p.shape[1:]))
                v = torch.randn(p.shape, generator=gen, dtype=torch.float64) / np.sqrt(fan_in)
            p.copy_(v.half().double())


def hf_config(cls, cfg, drop=("name", "with_projection")):
    kwargs = {k: v for k, v in cfg.items() if k not in drop}
    return cls(**kwargs, attn_implementation="eager")


def weights_of(model):
    return {k: v.detach().half().numpy() for k, v in model.state_dict().items()}


def text_inputs(cfg, gen):
    """(ids, mask) rows like the pipeline: BOS, tokens, EOS, padding; one row without padding."""
    length = cfg["max_position_embeddings"]
    bos, eos, pad = cfg["bos_token_id"], cfg["eos_token_id"], cfg["pad_token_id"]
    ordinary = [i for i in range(cfg["vocab_size"]) if i not in (bos, eos)]
    rows = []
    for n in (0, 3, length // 2, length - 2):
        body = [ordinary[int(j)] for j in torch.randint(len(ordinary), (n,), generator=gen)]
        ids = [bos] + body + [eos]
        rows.append((ids + [pad] * (length - len(ids)), [1] * len(ids) + [0] * (length - len(ids))))
    if eos == 2:
        # legacy pooling: the largest id wins even when it is not the EOS (an added token)
        top = cfg["vocab_size"] - 1
        ids = [bos, 5, top, 7, eos]
        rows.append((ids + [pad] * (length - len(ids)), [1] * len(ids) + [0] * (length - len(ids))))
    ids = torch.tensor([r[0] for r in rows], dtype=torch.int64)
    mask = torch.tensor([r[1] for r in rows], dtype=torch.int64)
    return ids, mask


def run_text(modeling, configuration, cfg, ids, mask, gen):
    conf = hf_config(configuration.CLIPTextConfig, cfg)
    cls = (
        modeling.CLIPTextModelWithProjection if cfg["with_projection"] else modeling.CLIPTextModel
    )
    model = cls(conf).eval()
    randomize(model, gen)
    model = model.double()
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    io = {
        "input_ids": ids.numpy(),
        "attention_mask": mask.numpy(),
        "last_hidden_state": out.last_hidden_state.float().numpy(),
        # hidden_states[-1] (last layer, before final_layer_norm): Stage C's clip_text
        "hidden_states_last": out.hidden_states[-1].float().numpy(),
    }
    if cfg["with_projection"]:
        io["text_embeds"] = out.text_embeds.float().numpy()
    else:
        io["pooler_output"] = out.pooler_output.float().numpy()
    return model, io


def smooth_image(h, w, gen):
    """A (1, 3, h, w) float32 image in [0, 1]: random low-frequency waves, like a photo rather
    than pixel noise (bicubic resampling of noise is dominated by float32 coordinate rounding)."""
    y = torch.arange(h, dtype=torch.float64).view(1, h, 1) / h
    x = torch.arange(w, dtype=torch.float64).view(1, 1, w) / w
    img = torch.zeros((3, h, w), dtype=torch.float64)
    for _ in range(4):
        fy, fx, phase = (torch.rand(3, generator=gen, dtype=torch.float64) * 6).tolist()
        amp = torch.rand((3, 1, 1), generator=gen, dtype=torch.float64)
        img = img + amp * torch.sin(2 * np.pi * (fy * y + fx * x) + phase)
    img = (img - img.min()) / (img.max() - img.min())
    return img.unsqueeze(0).float()


def preprocess(images, size):
    """Stable Cascade's clip_preprocess with torchvision on tensors (bicubic, no antialias)."""
    import torchvision.transforms as T

    tf = T.Compose(
        [
            T.Resize(size, interpolation=T.InterpolationMode.BICUBIC, antialias=False),
            T.CenterCrop(size),
            T.Normalize(mean=CLIP_MEAN, std=CLIP_STD),
        ]
    )
    return tf(images)


def run_vision(modeling, configuration, cfg, gen):
    conf = hf_config(configuration.CLIPVisionConfig, cfg)
    cls = (
        modeling.CLIPVisionModelWithProjection
        if cfg["with_projection"]
        else modeling.CLIPVisionModel
    )
    model = cls(conf).eval()
    randomize(model, gen)
    model = model.double()
    s = cfg["image_size"]
    pixels = torch.randn((2, 3, s, s), generator=gen, dtype=torch.float64).float()
    # raw [0,1] images, landscape and portrait, not of the model's size
    landscape = smooth_image(s + 5, 2 * s - 3, gen)
    portrait = smooth_image(2 * s + 1, s + 2, gen)
    io = {"pixel_values": pixels.numpy()}
    with torch.no_grad():
        out = model(pixel_values=pixels.double(), output_hidden_states=True)
        io["last_hidden_state"] = out.last_hidden_state.float().numpy()
        if cfg["with_projection"]:
            io["image_embeds"] = out.image_embeds.float().numpy()
        else:
            io["pooler_output"] = out.pooler_output.float().numpy()
        for tag, img in (("landscape", landscape), ("portrait", portrait)):
            pp = preprocess(img.double(), s)
            io["image_" + tag] = img.numpy()
            io["preprocessed_" + tag] = pp.float().numpy()
            o = model(pixel_values=pp)
            emb = o.image_embeds if cfg["with_projection"] else o.pooler_output
            io[("image_embeds_" if cfg["with_projection"] else "pooler_output_") + tag] = (
                emb.float().numpy()
            )
    return model, io


def port_text_config(cfg):
    return {
        "vocabSize": cfg["vocab_size"],
        "maxPositions": cfg["max_position_embeddings"],
        "width": cfg["hidden_size"],
        "intermediate": cfg["intermediate_size"],
        "layers": cfg["num_hidden_layers"],
        "heads": cfg["num_attention_heads"],
        "projectionDim": cfg.get("projection_dim", cfg["hidden_size"]),
        "activation": cfg["hidden_act"],
        "layerNormEps": cfg["layer_norm_eps"],
        "eosTokenId": cfg["eos_token_id"],
        "pooling": "ARGMAX_ID" if cfg["eos_token_id"] == 2 else "FIRST_EOS",
    }


def port_vision_config(cfg):
    return {
        "imageSize": cfg["image_size"],
        "patchSize": cfg["patch_size"],
        "width": cfg["hidden_size"],
        "intermediate": cfg["intermediate_size"],
        "layers": cfg["num_hidden_layers"],
        "heads": cfg["num_attention_heads"],
        "projectionDim": cfg.get("projection_dim", cfg["hidden_size"]),
        "activation": cfg["hidden_act"],
        "layerNormEps": cfg["layer_norm_eps"],
    }


def generate(modeling, configuration, out_dir, tokenizer_fixture, source):
    os.makedirs(out_dir, exist_ok=True)
    # float64 reference: transformers builds its masks with torch.full(..., finfo(dtype).min) in
    # the default dtype, so the default has to be float64 too
    torch.set_default_dtype(torch.float64)
    gen = torch.Generator().manual_seed(20240611)
    manifest = {"source": source, "text": [], "vision": []}
    meta = {"format": "pt", "generator": "tools/clip-ref", "reference": source}

    def save(name, kind, model, io, port_config, hf_cfg, with_projection, extra=None):
        weights = weights_of(model)
        if name in WITH_POSITION_IDS:
            # the int64 position_ids buffer that checkpoints written by older transformers carry
            prefix = "text_model" if kind == "text" else "vision_model"
            n = model.config.max_position_embeddings if kind == "text" else (
                (model.config.image_size // model.config.patch_size) ** 2 + 1
            )
            weights[prefix + ".embeddings.position_ids"] = np.arange(n, dtype=np.int64)[None, :]
        write_safetensors(os.path.join(out_dir, name + ".safetensors"), weights, meta)
        write_safetensors(os.path.join(out_dir, name + ".io.safetensors"), io, meta)
        entry = {
            "name": name,
            "class": type(model).__name__,
            "withProjection": with_projection,
            "config": port_config,
            "hfConfig": {k: v for k, v in hf_cfg.items() if k not in ("name", "with_projection")},
        }
        if extra:
            entry.update(extra)
        manifest[kind].append(entry)

    for cfg in TEXT_CONFIGS:
        ids, mask = text_inputs(cfg, gen)
        model, io = run_text(modeling, configuration, cfg, ids, mask, gen)
        save(cfg["name"], "text", model, io, port_text_config(cfg), cfg, cfg["with_projection"])

    # the pipeline model: ids from the reference tokenizer (fast), on its vocabulary
    with open(tokenizer_fixture, encoding="utf-8") as f:
        tok = json.load(f)
    by_prompt = {c["prompt"]: c["ids"] for c in tok["cases"]}
    cfg = dict(TEXT_PIPELINE)
    pad = tok["pad_id"]
    cfg.update(vocab_size=pad + 1, bos_token_id=pad - 1, eos_token_id=pad, pad_token_id=pad)
    rows = [by_prompt[p] for p in PIPELINE_PROMPTS]
    ctx = tok["context_length"]
    ids = torch.tensor([r + [pad] * (ctx - len(r)) for r in rows], dtype=torch.int64)
    mask = torch.tensor([[1] * len(r) + [0] * (ctx - len(r)) for r in rows], dtype=torch.int64)
    model, io = run_text(modeling, configuration, cfg, ids, mask, gen)
    save(
        cfg["name"],
        "text",
        model,
        io,
        port_text_config(cfg),
        cfg,
        True,
        {"prompts": PIPELINE_PROMPTS},
    )

    for cfg in VISION_CONFIGS:
        model, io = run_vision(modeling, configuration, cfg, gen)
        save(cfg["name"], "vision", model, io, port_vision_config(cfg), cfg, cfg["with_projection"])

    with open(os.path.join(out_dir, "clip_models.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return manifest
