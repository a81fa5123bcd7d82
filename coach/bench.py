"""Benchmarks that print figures: engine overhead, the evaluator's added wait, judge speed.

Times are machine-dependent; the ratios are what to compare across machines.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from coach.config import Settings, load_settings
from coach.domain.transcript import load_transcript
from coach.engine.prompts import system_prompt
from coach.engine.session import SessionService
from coach.evaluation.offline.learned.minilm import MiniLMNotInstalled
from coach.library import Library
from coach.llm.base import ChatMessage, ModelSettings

TRAINEE_LINES = [
    "We will not accept that. Our position is unchanged.",
    "Perhaps we could look at a smaller step, if it helps.",
    "What exactly would your government verify, and how?",
    "That deadline is yours, not ours. We will answer after consulting our partners.",
    "We propose a joint technical review, phased over three months, reversible at each step.",
    "Fine. If that is what it takes, we can accept part of it.",
]


@contextlib.contextmanager
def stub_process(latency: float) -> Iterator[str]:
    """The stub LLM in its own process (as a remote endpoint would be); yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coach.llm.stub_server",
            "--port",
            str(port),
            "--latency",
            str(latency),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the stub LLM server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


async def engine_overhead(
    library: Library, persona_id: str, turns: int, database_url: str
) -> list[float]:
    """Milliseconds per trainee turn, offline backend, with the given store."""
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url.replace("{tmp}", tmp)
        svc = await SessionService.open(Settings(data_dir=Path(tmp)), library, database_url=url)
        view = await svc.start(user="bench", persona_id=persona_id)
        times = []
        for i in range(turns):
            t0 = time.perf_counter()
            await svc.send(view.session_id, f"{TRAINEE_LINES[i % len(TRAINEE_LINES)]} ({i})")
            times.append((time.perf_counter() - t0) * 1000)
        await svc.aclose()
    return times


async def evaluator_wait_ratio(
    library: Library, persona_id: str, latency: float, turns: int
) -> dict[str, float]:
    """The trainee's wait per turn over one bare counterpart call, with both roles on an LLM.

    Bare calls are interleaved with turns on the same client, so that transport noise
    (connection reuse, delayed ACKs on loopback) falls on both sides of the ratio alike.
    """
    from coach.llm.openai_model import OpenAIChatModel
    from coach.llm.stub_server import StubServer

    with (
        StubServer(latency=latency, schema_replies=True) as stub,
        tempfile.TemporaryDirectory() as tmp,
    ):

        def model(role: str) -> OpenAIChatModel:
            return OpenAIChatModel(
                ModelSettings(model="stub-model"), api_key="bench", base_url=stub.url, role=role
            )

        counterpart, evaluator = model("counterpart"), model("evaluator")
        svc = await SessionService.open(
            Settings(data_dir=Path(tmp)),
            library,
            database_url=f"sqlite:///{tmp}/s.sqlite",
            counterpart_model=counterpart,
            evaluator_model=evaluator,
        )
        view = await svc.start(user="bench", persona_id=persona_id)
        # A bare call carries what the speaker sends: the persona's prompt and a trainee line.
        persona, scenario = view.persona, view.scenario
        bare_prompt = [
            ChatMessage(role="system", content=system_prompt(persona, scenario)),
            ChatMessage(role="assistant", content=view.transcript.turns[0].text),
            ChatMessage(role="user", content=TRAINEE_LINES[0]),
        ]
        bare, waits = [], []
        for i in range(turns):
            t0 = time.perf_counter()
            async for _chunk in counterpart.stream(bare_prompt):
                pass
            bare.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            out = await svc.send(view.session_id, TRAINEE_LINES[i % len(TRAINEE_LINES)])
            waits.append(time.perf_counter() - t0)
            judge = (out.assessment.labels.judge or "") if out.assessment else ""
            if not judge.startswith("llm:"):
                raise RuntimeError(f"the LLM judge did not score the turn (judge: {judge!r})")
        await svc.aclose()
        await counterpart.aclose()
        await evaluator.aclose()
    bare_s, wait_s = statistics.median(bare), statistics.median(waits)
    return {
        "latency_s": latency,
        "bare_call_s": bare_s,
        "turn_wait_s": wait_s,
        "ratio": wait_s / bare_s,
        "serial_estimate": (wait_s + bare_s) / bare_s,
    }


def offline_judge_throughput(transcripts: list[Path], repeat: int) -> dict[str, float]:
    """Trainee turns labelled per second by the offline judge, one core."""
    from coach.engine.transcript import bare_turn
    from coach.evaluation.base import TurnContext
    from coach.evaluation.offline import OfflineJudge

    judge = OfflineJudge()
    library_rubric = Library().get_rubric("default")
    contexts = []
    for path in transcripts:
        t = load_transcript(path)
        turns = [bare_turn(x.model_dump()) for x in t.turns]
        for i, turn in enumerate(turns):
            if turn.speaker == "trainee":
                contexts.append(
                    TurnContext(scenario=t.scenario, history=turns[:i], turn=turn, turn_index=i)
                )
    t0 = time.perf_counter()
    for _ in range(repeat):
        for ctx in contexts:
            judge.assess(ctx, library_rubric)
    elapsed = time.perf_counter() - t0
    return {
        "turns": len(contexts) * repeat,
        "seconds": elapsed,
        "turns_per_second": len(contexts) * repeat / elapsed,
    }


def minilm_throughput(transcripts: list[Path], limit: int = 500) -> dict[str, float]:
    """MiniLM speed: sentences/s for `encode` and pairs/s for `hidden`, batches of 32.

    Sentences are the transcripts' own, 15-25 words; a pair joins three of them with three
    others (about 130 tokens), the input of a cross-encoder.
    """
    from coach.evaluation.offline.learned.embed import split_sentences
    from coach.evaluation.offline.learned.minilm import get_minilm

    sentences: list[str] = []
    for path in transcripts:
        for turn in load_transcript(path).turns:
            sentences += [s for s in split_sentences(turn.text) if 15 <= len(s.split()) <= 25]
    sentences = sentences[:limit]
    model = get_minilm()
    model.encode(sentences[:32])
    t0 = time.perf_counter()
    model.encode(sentences)
    encode_s = time.perf_counter() - t0
    n_pairs = min(96, len(sentences) // 6)
    first = [" ".join(sentences[6 * i : 6 * i + 3]) for i in range(n_pairs)]
    second = [" ".join(sentences[6 * i + 3 : 6 * i + 6]) for i in range(n_pairs)]
    t0 = time.perf_counter()
    _, mask = model.hidden(first, second)
    pairs_s = time.perf_counter() - t0
    return {
        "sentences": len(sentences),
        "sentences_per_second": len(sentences) / encode_s,
        "pairs": n_pairs,
        "pair_tokens": float(mask.sum(1).mean()) if n_pairs else 0.0,
        "pairs_per_second": n_pairs / pairs_s if n_pairs else 0.0,
    }


async def llm_judge_speedup(
    transcripts: list[Path], latency: float, levels: list[int]
) -> dict[int, float]:
    """Wall seconds of an LLM-judge batch at each concurrency level (no cache)."""
    from coach.evaluation.batch import evaluate_files
    from coach.evaluation.llm_judge import LLMJudge
    from coach.evaluation.offline import OfflineJudge
    from coach.llm.openai_model import OpenAIChatModel
    from coach.llm.stub_server import StubServer

    rubric = Library().get_rubric("default")
    results = {}
    with StubServer(latency=latency, schema_replies=True) as stub:
        for level in levels:
            model = OpenAIChatModel(
                ModelSettings(model="stub-model"),
                api_key="bench",
                base_url=stub.url,
                role="evaluator",
            )
            judge = LLMJudge(model, fallback=OfflineJudge())
            t0 = time.perf_counter()
            await evaluate_files(transcripts, judge, rubric, concurrency=level, cache=None)
            results[level] = time.perf_counter() - t0
            await model.aclose()
    return results


def run_all(
    persona_id: str, turns: int, latency: float, out: Callable[[str], Any] = print
) -> dict[str, Any]:
    """Run every benchmark and print its figures."""
    settings = load_settings()
    library = Library(settings.library_dir)
    figures: dict[str, Any] = {}

    # LLM mode first: the offline runs load the MiniLM encoder, whose BLAS threads then
    # compete with the event loop on a 2-core machine (1.036 measured after them, against
    # 1.027-1.029 in a fresh process with the same code).
    ratio = asyncio.run(evaluator_wait_ratio(library, persona_id, latency, max(10, turns // 3)))
    figures["evaluator_wait"] = ratio
    out(
        f"LLM mode (stub at {latency:.2f} s per call; counterpart and LLM judge both called): "
        f"turn wait {ratio['turn_wait_s']:.3f} s / bare counterpart call "
        f"{ratio['bare_call_s']:.3f} s = {ratio['ratio']:.3f} (goal <= 1.03; "
        f"a serial evaluator would give about {ratio['serial_estimate']:.2f})"
    )

    for label, url in (("in-memory", "memory://"), ("SQLite", "sqlite:///{tmp}/s.sqlite")):
        times = asyncio.run(engine_overhead(library, persona_id, turns, url))
        figures[f"engine_{label}"] = {
            "p50_ms": percentile(times, 50),
            "p95_ms": percentile(times, 95),
        }
        out(
            f"engine + {label} persistence, offline backend, {turns} turns: "
            f"p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms per turn"
        )

    dev = sorted((Path(__file__).resolve().parent.parent / "evals" / "dev").glob("*.json"))
    dev = dev or sorted(Path("evals/dev").glob("*.json"))
    if dev:
        tput = offline_judge_throughput(dev, repeat=3)
        figures["offline_judge"] = tput
        out(
            f"offline judge: {tput['turns_per_second']:.0f} trainee turns/s on one core "
            f"({tput['turns']} turns in {tput['seconds']:.2f} s)"
        )
        try:
            mini = minilm_throughput(dev)
        except MiniLMNotInstalled as e:
            out(f"MiniLM encoder: skipped ({e})")
        else:
            figures["minilm"] = mini
            out(
                f"MiniLM encoder (numpy): {mini['sentences_per_second']:.0f} sentences/s "
                f"({mini['sentences']} sentences of 15-25 words), "
                f"{mini['pairs_per_second']:.0f} pairs/s for hidden states "
                f"({mini['pairs']} pairs of about {mini['pair_tokens']:.0f} tokens)"
            )
        speed = asyncio.run(llm_judge_speedup(dev[:4], 0.1, [1, 4, 8]))
        figures["llm_judge_batch_s"] = speed
        base = speed[1]
        out(
            "LLM judge batch (4 transcripts, stub at 0.10 s per call): "
            + ", ".join(f"concurrency {k}: {v:.2f} s (x{base / v:.2f})" for k, v in speed.items())
        )
    return figures
