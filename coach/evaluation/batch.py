"""Batch evaluation: load transcript files, strip gold, judge every turn, keep gold for agreement.

The judge never sees gold: each TurnContext is built from copies of the turns with
`labels=None, tactics=None`. Judge calls run concurrently under a semaphore, and an optional
content-addressed cache answers repeated prompts without calling the judge.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.domain.assessment import CriterionResult
from coach.domain.errors import DataFileError
from coach.domain.rubric import Rubric
from coach.domain.transcript import Transcript, Turn, TurnLabels, load_transcript
from coach.evaluation import metrics
from coach.evaluation.base import Judge, TurnContext
from coach.evaluation.cache import JudgeCache, cache_key
from coach.evaluation.prompts import prompt_key_material, session_key_material

Progress = Callable[[int, int], None]
"""Called as `progress(done, total)` after each judged turn."""


@dataclass
class LoadFailure:
    """A file (or path) that could not be read as a transcript."""

    path: Path
    problems: list[str]


@dataclass
class EvaluatedTranscript:
    """One transcript: where it came from, its gold as read, and the judge's labels."""

    path: Path
    out_name: str
    """File name for the labelled copy (the source name, made unique if two collide)."""
    gold: Transcript
    predicted: Transcript
    session: list[CriterionResult] = field(default_factory=list)
    """The judge's scores of the rubric's session criteria."""

    @property
    def has_gold(self) -> bool:
        """True when the input carried gold labels on every turn."""
        return metrics.has_gold(self.gold.to_dict())


@dataclass
class BatchResult:
    """Everything an evaluation run produced."""

    judge: str
    rubric: Rubric
    evaluated: list[EvaluatedTranscript] = field(default_factory=list)
    failures: list[LoadFailure] = field(default_factory=list)
    judged_turns: int = 0
    cached_turns: int = 0

    def agreement(self) -> dict[str, Any] | None:
        """score.py's metrics over the transcripts that carried gold; None if none did."""
        triples = [
            (e.out_name, e.gold.to_dict(), e.predicted.to_dict())
            for e in self.evaluated
            if e.has_gold
        ]
        return metrics.score_pairs(triples) if triples else None


def load_rubric(rubric_id: str, library_dir: Path) -> Rubric:
    """The rubric `<library_dir>/rubrics/<id>.yaml`, through the library's loader."""
    from coach.library import load_rubric as load_rubric_file

    path = Path(library_dir) / "rubrics" / f"{rubric_id}.yaml"
    if not path.is_file():
        found = sorted(p.stem for p in path.parent.glob("*.yaml"))
        hint = (
            f"available: {', '.join(found)}"
            if found
            else "set COACH_LIBRARY_DIR to the folder that holds rubrics/"
        )
        raise DataFileError([f"{path}: no rubric named {rubric_id!r} ({hint})"])
    return load_rubric_file(path)


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[LoadFailure]]:
    """JSON files named directly or found (non-recursively) in folders, in a stable order."""
    files: list[Path] = []
    failures: list[LoadFailure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if not found:
                failures.append(LoadFailure(path, [f"{path}: folder holds no .json files"]))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            failures.append(LoadFailure(path, [f"{path}: no such file or folder"]))
    return list(dict.fromkeys(files)), failures


def load_all(files: list[Path]) -> tuple[list[tuple[Path, Transcript]], list[LoadFailure]]:
    """Every file that loads, and a failure (naming file and field) for each that does not."""
    loaded: list[tuple[Path, Transcript]] = []
    failures: list[LoadFailure] = []
    for path in files:
        try:
            loaded.append((path, load_transcript(path)))
        except DataFileError as err:
            failures.append(LoadFailure(path, err.problems))
    return loaded, failures


def strip_gold(turns: list[Turn]) -> list[Turn]:
    """Copies of the turns with labels and tactics removed."""
    return [t.model_copy(update={"labels": None, "tactics": None}) for t in turns]


def _unique_names(paths: list[Path]) -> list[str]:
    seen: set[str] = set()
    names = []
    for p in paths:
        name = p.name
        if name in seen:
            name = f"{p.parent.name}-{p.name}"
        n = 1
        while name in seen:
            n += 1
            name = f"{p.stem}-{n}{p.suffix}"
        seen.add(name)
        names.append(name)
    return names


class _Runner:
    """Judges turns under a semaphore, through the cache when one is given."""

    def __init__(self, judge: Judge, rubric: Rubric, concurrency: int, cache: JudgeCache | None):
        self.judge, self.rubric, self.cache = judge, rubric, cache
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.judged = self.cached = 0

    async def trainee(self, ctx: TurnContext) -> TurnLabels:
        key = self._key("trainee", ctx, self.rubric)
        if key and self.cache and (hit := self.cache.get(key)) is not None:
            self.cached += 1
            return TurnLabels.model_validate(hit)
        async with self.semaphore:
            labels = (await self.judge.assess_trainee_turn(ctx, self.rubric)).labels
        self.judged += 1
        if key and self.cache and labels.unscored_reason is None:
            self.cache.put(key, labels.model_dump(mode="json", exclude_none=True))
        return labels

    async def counterpart(self, ctx: TurnContext) -> tuple[list[str], str]:
        key = self._key("counterpart", ctx, None)
        if key and self.cache and (hit := self.cache.get(key)) is not None:
            self.cached += 1
            return list(hit["tactics"]), str(hit["judge"])
        async with self.semaphore:
            tag_with_source = getattr(self.judge, "tag_with_source", None)
            if tag_with_source is not None:
                tags, source = await tag_with_source(ctx)
            else:
                tags, source = await self.judge.tag_counterpart_turn(ctx), self.judge.name
        self.judged += 1
        if key and self.cache and "(fallback:" not in source:
            self.cache.put(key, {"tactics": tags, "judge": source})
        return list(tags), source

    async def session(self, transcript: Transcript, turns: list[Turn]) -> list[CriterionResult]:
        key = None
        if self.cache is not None:
            material = session_key_material(transcript.scenario, turns)
            key = cache_key(self.judge.name, self.rubric, material)
            if (hit := self.cache.get(key)) is not None:
                return [CriterionResult.model_validate(r) for r in hit]
        async with self.semaphore:
            results = await self.judge.score_session(transcript.scenario, turns, self.rubric)
        if key and self.cache and not any("(fallback:" in (r.judge or "") for r in results):
            self.cache.put(key, [r.model_dump(mode="json") for r in results])
        return results

    def _key(self, kind: str, ctx: TurnContext, rubric: Rubric | None) -> str | None:
        if self.cache is None:
            return None
        material = prompt_key_material(kind, ctx.scenario, ctx.history, ctx.turn, ctx.turn_index)
        return cache_key(self.judge.name, rubric, material)


async def _judge_transcript(
    runner: _Runner, transcript: Transcript, tick: Callable[[], None]
) -> tuple[Transcript, list[CriterionResult]]:
    clean = strip_gold(transcript.turns)

    async def one(i: int) -> Turn:
        ctx = TurnContext(
            scenario=transcript.scenario, history=clean[:i], turn=clean[i], turn_index=i
        )
        original = transcript.turns[i]
        if original.speaker == "trainee":
            labels = await runner.trainee(ctx)
            result = original.model_copy(update={"labels": labels, "tactics": None})
        else:
            tags, source = await runner.counterpart(ctx)
            result = original.model_copy(
                update={"tactics": tags, "labels": None, "tactics_judge": source}
            )
        tick()
        return result

    async def every_turn() -> list[Turn]:
        return list(await asyncio.gather(*(one(i) for i in range(len(clean)))))

    # the session call reads the conversation, not the turns' labels: it runs beside them
    turns, session = await asyncio.gather(every_turn(), runner.session(transcript, clean))
    return transcript.model_copy(update={"turns": turns}), session


async def evaluate_files(
    paths: Iterable[str | Path],
    judge: Judge,
    rubric: Rubric,
    *,
    concurrency: int = 4,
    cache: JudgeCache | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Load, judge and collect: malformed files are reported and the others still evaluated."""
    files, failures = collect_files(paths)
    loaded, load_failures = load_all(files)
    result = await evaluate_transcripts(
        loaded, judge, rubric, concurrency=concurrency, cache=cache, progress=progress
    )
    result.failures = failures + load_failures
    return result


async def evaluate_transcripts(
    loaded: list[tuple[Path, Transcript]],
    judge: Judge,
    rubric: Rubric,
    *,
    concurrency: int = 4,
    cache: JudgeCache | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Judge already-loaded transcripts (see `evaluate_files`)."""
    runner = _Runner(judge, rubric, concurrency, cache)
    total = sum(len(t.turns) for _, t in loaded)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    predicted = await asyncio.gather(*(_judge_transcript(runner, t, tick) for _, t in loaded))
    names = _unique_names([p for p, _ in loaded])
    result = BatchResult(judge=judge.name, rubric=rubric)
    result.evaluated = [
        EvaluatedTranscript(path=p, out_name=name, gold=gold, predicted=pred, session=session)
        for (p, gold), name, (pred, session) in zip(loaded, names, predicted, strict=True)
    ]
    result.judged_turns, result.cached_turns = runner.judged, runner.cached
    return result
