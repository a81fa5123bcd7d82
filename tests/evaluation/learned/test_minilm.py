"""numpy all-MiniLM-L6-v2: matches sentence-transformers, batching, pairs, overrides, offline."""

from __future__ import annotations

import importlib.util
import json
import math
import socket
import sys
import threading
from importlib.machinery import ModuleSpec
from pathlib import Path

import numpy as np
import pytest

from coach.evaluation.offline.learned import minilm
from coach.evaluation.offline.learned.minilm import (
    DIM,
    PACKAGE,
    MiniLM,
    MiniLMNotInstalled,
    get_minilm,
)

REFERENCE = Path(__file__).resolve().parent / "data" / "minilm_ref.json"
TYPE_EMBEDDINGS = "embeddings.token_type_embeddings.weight"


@pytest.fixture(scope="module")
def model() -> MiniLM:
    return get_minilm()


def test_matches_sentence_transformers(model: MiniLM) -> None:
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    expected = np.array(ref["vectors"], dtype=np.float32)
    got = model.encode(ref["texts"])
    assert got.dtype == np.float32
    assert got.shape == expected.shape == (len(ref["texts"]), DIM)
    np.testing.assert_allclose(got, expected, atol=1e-4)
    cosines = (got * expected).sum(1) / np.linalg.norm(expected, axis=1)
    assert cosines.min() > 0.9999
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_rows_stay_in_input_order_across_batches(model: MiniLM) -> None:
    # Regression guard: encode() sorts by token length into batches; rows must come back unsorted.
    words = "we will not accept any deadline imposed from outside the talks".split()
    texts = [" ".join(words[: 1 + (i * 7) % len(words)] * (1 + i % 5)) for i in range(45)]
    together = model.encode(texts)
    one_by_one = np.stack([model.encode([t])[0] for t in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)


def test_empty_input(model: MiniLM) -> None:
    out = model.encode([])
    assert out.shape == (0, DIM)
    states, mask = model.hidden([])
    assert states.shape[0] == mask.shape[0] == 0


def test_long_texts_are_cut_at_256_tokens(model: MiniLM) -> None:
    long = " ".join(["negotiation"] * 300)
    a, b = model.encode([long, long + " and then an ending that is cut off"])
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_hidden_states_mean_pool_to_encode(model: MiniLM) -> None:
    texts = ["Sign today or the border closes.", "We need time to consult our partners."]
    states, mask = model.hidden(texts)
    assert states.shape == (2, mask.shape[1], DIM)
    pooled = (states * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
    np.testing.assert_allclose(pooled, model.encode(texts), atol=1e-5)
    assert not states[mask == 0].any()  # padding is zero


def test_pairs_use_token_type_one_for_the_second_segment(model: MiniLM) -> None:
    first = ["Norland will not write off the loans.", "No foreign troops on our soil."]
    second = ["We could reschedule part of the debt.", "Fine, the troops may stay."]
    pair, pair_mask = model.hidden(first, second)
    # The same token ids as one text ("[SEP]" is a special token), but every type id 0.
    joined = [f"{a} [SEP] {b}" for a, b in zip(first, second, strict=True)]
    single, single_mask = model.hidden(joined)
    np.testing.assert_array_equal(pair_mask, single_mask)
    # [CLS] a [SEP] b [SEP]: the two segments' tokens plus three.
    alone = [int(n) - 2 for n in model.hidden(first + second)[1].sum(1)]
    assert pair_mask.sum(1).tolist() == [alone[0] + alone[2] + 3, alone[1] + alone[3] + 3]
    assert np.abs(pair - single).max() > 1e-2
    # With type 1 embedded as type 0, the pair becomes the joined text: the difference above
    # comes from the token types and nothing else.
    types = model.weights[TYPE_EMBEDDINGS]
    same_types = MiniLM(overrides={TYPE_EMBEDDINGS: np.stack([types[0], types[0]])})
    as_single, _ = same_types.hidden(first, second)
    np.testing.assert_allclose(as_single, single, atol=1e-5)


def test_pairs_truncate_longest_first(model: MiniLM) -> None:
    states, mask = model.hidden(["short one"], [" ".join(["long"] * 100)], max_length=32)
    assert states.shape == (1, 32, DIM)
    assert mask.sum() == 32
    with pytest.raises(ValueError, match="second texts"):
        model.hidden(["a", "b"], ["c"])


def test_overrides_change_outputs(model: MiniLM) -> None:
    key = "encoder.layer.5.output.dense.weight"
    tuned = MiniLM(overrides={key: model.weights[key] * 1.5})
    text = ["Our offer stands until midnight."]
    assert np.abs(tuned.encode(text) - model.encode(text)).max() > 1e-3
    assert model.weights[key] is not tuned.weights[key]
    with pytest.raises(ValueError, match="shape"):
        MiniLM(overrides={key: np.zeros((3, 3), dtype=np.float32)})


def test_missing_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> ModuleSpec | None:
        return None if name == PACKAGE else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    monkeypatch.setattr(minilm, "_INSTANCE", None)
    with pytest.raises(MiniLMNotInstalled, match="bash scripts/setup") as info:
        get_minilm()
    assert isinstance(info.value, RuntimeError)


def test_package_without_model_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    spec = ModuleSpec(PACKAGE, None, is_package=True)
    spec.submodule_search_locations = [str(tmp_path)]
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, package=None: spec)
    with pytest.raises(MiniLMNotInstalled, match=r"model\.safetensors"):
        MiniLM()


def test_loads_and_encodes_with_the_network_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    class Blocked(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("network blocked in this test")

    monkeypatch.setattr(socket, "socket", Blocked)
    monkeypatch.setattr(minilm, "_INSTANCE", None)
    assert get_minilm().encode(["offline"]).shape == (1, DIM)
    # The wheel's own package imports sentence-transformers (torch) lazily; never import it.
    assert PACKAGE not in sys.modules


def test_singleton_is_shared_and_thread_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(minilm, "_INSTANCE", None)
    texts = ["The deadline is yours, not ours.", "We propose a joint technical review."]
    got: list[tuple[MiniLM, np.ndarray]] = []

    def work() -> None:
        m = get_minilm()
        got.append((m, m.encode(texts)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4
    assert len({id(m) for m, _ in got}) == 1
    for _, vectors in got[1:]:
        np.testing.assert_allclose(vectors, got[0][1], atol=1e-6)


def test_fast_gelu_is_exact_enough_and_never_subnormal() -> None:
    # Regression guard: subnormal floats out of GELU made the next matmul 10-20x slower.
    x = np.concatenate(
        [np.linspace(-30, 30, 20001), np.random.default_rng(0).standard_normal(20000) * 4]
    ).astype(np.float32)
    expected = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(float)])
    got = x.copy()
    minilm._gelu_(got, np.empty((3, *x.shape), dtype=np.float32))
    assert np.abs(got - expected).max() < 1e-6
    tiny = np.finfo(np.float32).tiny
    assert not ((got != 0) & (np.abs(got) < tiny)).any()
