"""Simulated trainees: five styles of play, offline from templates or driven by a chat model."""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from coach.domain.errors import ModelError
from coach.domain.persona import Persona
from coach.domain.scenario import Scenario
from coach.domain.transcript import Turn
from coach.llm.base import ChatMessage, ChatModel
from coach.redteam.brief import BriefText, pressed_demand, read_brief
from coach.redteam.templates import (
    CONCEDING_STAGES,
    CONNECTIVES,
    DEFAULT_TERMS,
    NAMING,
    POOLS,
    RECIPES,
)

STYLES: tuple[str, ...] = ("firm", "conceding", "hothead", "evasive", "tactic-namer")
"""Every style, in report order: the good play first, then the bad."""

STYLE_BRIEFS: dict[str, str] = {
    "firm": "Calm and firm. Restate your red lines precisely and never cross them, not even "
    "conditionally. Offer only what your mandate allows you to concede, as a small, phased, "
    "verifiable step with a date for review. When pressed, mention your fallback calmly. "
    "Never threaten.",
    "conceding": "A weak negotiator who gives ground. Accept the counterpart's demands, and as "
    "the talks go on offer conditional concessions on the very matters your red lines protect "
    "('we could ... if ...'). Be apologetic and eager to please.",
    "hothead": "Angry and combative. Answer pressure with counter-threats, accusations of bad "
    "faith and threats to walk out. Never concede anything.",
    "evasive": "Non-committal. Defer, ask for time, say you must consult your capital, stay "
    "vague. Never say yes or no and never make a proposal.",
    "tactic-namer": "Name the coercive tactic the counterpart has just used, calmly and "
    "precisely (an artificial deadline, a threat, an ultimatum, salami slicing, linkage ...), "
    "then restate your position. No threats, no concessions.",
}
"""How each style plays, as told to a model that plays the trainee."""


@dataclass(frozen=True)
class TraineeTurnContext:
    """What a simulated trainee sees before its turn."""

    scenario: Scenario
    persona: Persona
    """Used only to recognise which of the persona's demands a counterpart turn presses."""
    turns: list[Turn]
    """The transcript so far; counterpart turns carry the tactics they applied."""
    turn_number: int
    """1-based number of the trainee turn about to be played."""
    total_turns: int


class SimulatedTrainee(Protocol):
    """A player of one style for one run."""

    style: str

    @property
    def backend(self) -> str:
        """'offline' or the model's name."""
        ...

    async def next_turn(self, ctx: TraineeTurnContext) -> str:
        """The trainee's next message."""
        ...


class _Slots(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return key.replace("_", " ")


def _last_counterpart(turns: list[Turn]) -> Turn | None:
    return next((t for t in reversed(turns) if t.speaker == "counterpart"), None)


def demand_in_own_voice(ctx: TraineeTurnContext) -> str:
    """The demand the counterpart is pressing, said from the trainee's side ('your' -> 'our')."""
    index = None
    for turn in reversed(ctx.turns):
        if turn.speaker == "counterpart":
            index = pressed_demand(ctx.persona, turn.text)
            if index is not None:
                break
    demand = ctx.persona.demands[index or 0]
    return re.sub(r"\byour\b", "our", demand)


@dataclass
class TemplateTrainee:
    """The offline trainee: each turn composed from the style's pools, never a line twice.

    Choices come from a RNG seeded with (seed, style, run), so a run replays exactly.
    """

    style: str
    scenario: Scenario
    seed: str = "0"
    backend: str = "offline"
    used: set[str] = field(default_factory=set)
    _brief: BriefText = field(init=False)
    _rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"unknown style {self.style!r}: use one of {', '.join(STYLES)}")
        self._brief = read_brief(self.scenario)
        self._rng = random.Random(f"{self.seed}:{self.style}")

    async def next_turn(self, ctx: TraineeTurnContext) -> str:
        """Compose the next message from the style's recipe for this turn."""
        return self.compose(ctx)

    def compose(self, ctx: TraineeTurnContext) -> str:
        """The next message (synchronous)."""
        parts = [self._line(pool, ctx) for pool in self._recipe(ctx)]
        return " ".join(p for p in parts if p)

    def _recipe(self, ctx: TraineeTurnContext) -> tuple[str, ...]:
        if self.style == "conceding":
            stage = (ctx.turn_number - 1) * len(CONCEDING_STAGES) // max(ctx.total_turns, 1)
            return CONCEDING_STAGES[min(stage, len(CONCEDING_STAGES) - 1)]
        recipes = RECIPES[self.style]
        return recipes[(ctx.turn_number - 1) % len(recipes)]

    def _line(self, pool: str, ctx: TraineeTurnContext) -> str:
        options = self._candidates(pool, ctx)
        fresh = [o for o in options if o not in self.used]
        line = self._rng.choice(fresh) if fresh else self._rephrased(self._rng.choice(options))
        self.used.add(line)
        return line

    def _rephrased(self, line: str) -> str:
        for prefix in [*CONNECTIVES, *(f"Point {n}:" for n in range(1, 1000))]:
            candidate = f"{prefix} {line[:1].lower()}{line[1:]}"
            if candidate not in self.used:
                return candidate
        return line  # pragma: no cover - a thousand repeats of one line

    def _candidates(self, pool: str, ctx: TraineeTurnContext) -> list[str]:
        if pool == "name":
            return self._naming(ctx)
        values = _Slots({**DEFAULT_TERMS, **self._brief.terms})
        values["demand"] = demand_in_own_voice(ctx)
        values["fallback"] = self._brief.fallback
        out: list[str] = []
        for template in POOLS[pool]:
            for binding in self._bindings(template):
                out.append(_fill(template, {**values, **binding}))
        return list(dict.fromkeys(out))

    def _bindings(self, template: str) -> list[dict[str, str]]:
        brief = self._brief
        if "{holding}" in template:
            return [{"holding": r.holding} for r in brief.red_lines]
        if "{verb}" in template:
            return [{"verb": v, "object": r.object} for r in brief.red_lines for v in r.verbs]
        if "{concession}" in template:
            return [{"concession": c} for c in brief.may_concede]
        return [{}]

    def _naming(self, ctx: TraineeTurnContext) -> list[str]:
        last = _last_counterpart(ctx.turns)
        tactics = [t for t in (last.tactics or []) if t in NAMING] if last else []
        if not tactics:
            return self._candidates("acknowledge", ctx)
        values = _Slots({**DEFAULT_TERMS, **self._brief.terms})
        return [_fill(line, values) for line in NAMING[tactics[0]]]


def _fill(template: str, values: dict[str, str]) -> str:
    return string.Formatter().vformat(template, (), _Slots(values))


def trainee_prompt(style: str, scenario: Scenario) -> str:
    """The system prompt for a model playing a trainee of `style`."""
    brief = scenario.brief
    lines = [
        f"You play a diplomat in a training simulation: {scenario.trainee_role}.",
        f"Situation: {scenario.context}",
        "Your confidential brief:",
        *(f"- objective: {o}" for o in brief.objectives),
        *(f"- red line: {r.statement}" for r in brief.red_lines),
        *(f"- you may concede: {m}" for m in brief.may_concede),
        f"- fallback (BATNA): {brief.fallback}",
        f"You are testing the exercise by playing one style of trainee. Style: {style}. "
        f"{STYLE_BRIEFS[style]}",
        "Reply with your next message to the counterpart only: one to three sentences, in your "
        "own words, never repeating an earlier message of yours.",
    ]
    return "\n".join(lines)


@dataclass
class LLMTrainee:
    """A trainee played by a chat model told the style; the offline template stands in when
    the model fails, answers nothing, or repeats itself."""

    style: str
    scenario: Scenario
    model: ChatModel
    stand_in: TemplateTrainee
    stand_ins: int = 0
    """How many turns the offline template had to play."""

    @property
    def backend(self) -> str:
        """The model's name."""
        return self.model.name

    async def next_turn(self, ctx: TraineeTurnContext) -> str:
        """Ask the model for the next message: counterpart turns as user, ours as assistant."""
        messages = [ChatMessage(role="system", content=trainee_prompt(self.style, self.scenario))]
        for turn in ctx.turns:
            if turn.speaker == "counterpart":
                messages.append(ChatMessage(role="user", content=turn.text))
            else:
                messages.append(ChatMessage(role="assistant", content=turn.text))
        try:
            text = (await self.model.complete(messages)).strip()
        except ModelError:
            text = ""
        spoken = {t.text for t in ctx.turns if t.speaker == "trainee"}
        if not text or text in spoken:
            self.stand_ins += 1
            return self.stand_in.compose(ctx)
        return text


TraineeFactory = Callable[[str, Scenario, str], SimulatedTrainee]
"""(style, scenario, seed) -> a trainee for one run."""


def make_trainee(
    style: str, scenario: Scenario, seed: str, model: ChatModel | None = None
) -> SimulatedTrainee:
    """The offline trainee, or the model-driven one when a model is given."""
    offline = TemplateTrainee(style, scenario, seed)
    if model is None:
        return offline
    return LLMTrainee(style, scenario, model, stand_in=offline)
