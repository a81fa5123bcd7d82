"""The counterpart's policy: from the trainee's signals and the ladder to the next move.

Pure and deterministic: the same state always gives the same move.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from coach.domain.persona import Persona, Reaction, Signal

# When a turn carries several signals, the first in this order decides the response.
SIGNAL_PRIORITY = [
    Signal.CONCEDES,
    Signal.ESCALATES,
    Signal.NAMES_TACTIC,
    Signal.PROPOSES_STEPS,
    Signal.STALLS,
    Signal.HOLDS_CALMLY,
]

# Tactics that pair naturally with a primary tactic at the upper rungs.
COMPANIONS = {
    "ultimatum": ["threat", "deadline_pressure"],
    "threat": ["deadline_pressure", "public_pressure"],
    "salami_slicing": ["deadline_pressure", "inducement"],
    "extreme_anchor": ["deadline_pressure", "linkage"],
    "fait_accompli": ["threat", "deadline_pressure"],
    "good_cop_bad_cop": ["deadline_pressure", "inducement"],
    "disinformation": ["divide_and_rule", "public_pressure"],
    "divide_and_rule": ["inducement", "disinformation"],
    "public_pressure": ["deadline_pressure"],
    "linkage": ["inducement"],
    "inducement": ["deadline_pressure"],
    "deadline_pressure": ["threat"],
}


class CounterpartPlan(BaseModel):
    """The strategist's decision for one counterpart turn."""

    level: int
    level_name: str
    posture: str
    signal: Signal | None = Field(description="The trainee signal this move answers.")
    reaction: Reaction
    tactics: list[str] = Field(description="Tactic ids the turn applies: ground truth.")
    demand_index: int
    demand: str
    previous_demand: str
    next_demand: str
    conceded: str = Field(
        default="",
        description="The trainee's own words when they last gave ground ('' before that).",
    )


def main_signal(signals: list[Signal]) -> Signal:
    """The signal that decides the response (holds_calmly when none was read)."""
    for signal in SIGNAL_PRIORITY:
        if signal in signals:
            return signal
    return Signal.HOLDS_CALMLY


def ladder_bounds(persona: Persona, difficulty: str | None) -> tuple[int, int]:
    """(start, ceiling) levels for a difficulty setting."""
    top = len(persona.ladder.levels) - 1
    setting = persona.difficulties.get(difficulty or "")
    if setting is None:
        return min(persona.ladder.start, top), top
    ceiling = top if setting.ceiling is None else min(setting.ceiling, top)
    return min(setting.start, ceiling), ceiling


def opening_plan(persona: Persona, difficulty: str | None = None) -> CounterpartPlan:
    """The counterpart's first move: the opening level's first tactics."""
    start, _ = ladder_bounds(persona, difficulty)
    level = persona.ladder.levels[start]
    tactics: list[str] = [level.moves[0]]
    if len(level.moves) > 1 and start > 0:
        tactics.append(level.moves[1])
    return _plan(persona, start, None, Reaction.OPEN, tactics, 0)


def next_plan(
    persona: Persona,
    *,
    level: int,
    demand_index: int,
    signals: list[Signal],
    recent_tactics: list[list[str]],
    difficulty: str | None = None,
    conceded: str = "",
) -> CounterpartPlan:
    """Decide the next move from the trainee's signals and the persona's rules.

    `conceded` is what the trainee said when they last gave ground; salami slicing quotes it.
    """
    signal = main_signal(signals)
    response = persona.response_to(signal)
    _, ceiling = ladder_bounds(persona, difficulty)
    new_level = max(0, min(ceiling, level + response.climb))
    if signal is Signal.CONCEDES:
        demand_index = min(demand_index + 1, len(persona.demands) - 1)

    allowed: list[str] = [t for t in persona.ladder.levels[new_level].moves if t in persona.tactics]
    salami_too_early = demand_index == 0  # salami builds on an earlier concession
    if salami_too_early:
        allowed = [t for t in allowed if t != "salami_slicing"] or allowed
    avoid: set[str] = {"salami_slicing"} if salami_too_early else set()
    if response.switch:
        avoid |= {t for turn in recent_tactics[-2:] for t in turn}
        if not [t for t in allowed if t not in avoid]:
            avoid = set(recent_tactics[-1]) if recent_tactics else set()
            if salami_too_early:
                avoid.add("salami_slicing")
    usage = Counter(t for turn in recent_tactics for t in turn)

    preferred: list[str] = [t for t in response.prefer if t in persona.tactics and t not in avoid]
    pool = [t for t in allowed if t not in avoid] or allowed
    primary = preferred[0] if preferred else _least_used(pool, usage)
    tactics = [primary]
    if _wants_companion(persona, new_level, response.reaction):
        companion = _companion(primary, pool, usage, avoid)
        if companion:
            tactics.append(companion)
    return _plan(persona, new_level, signal, response.reaction, tactics, demand_index, conceded)


def _least_used(pool: list[str], usage: Counter[str]) -> str:
    return min(pool, key=lambda t: (usage[t], pool.index(t)))


def _wants_companion(persona: Persona, level: int, reaction: Reaction) -> bool:
    """Upper rungs stack pressure; easing and engaging replies stay single-minded."""
    if reaction in (Reaction.EASE, Reaction.ENGAGE, Reaction.ACKNOWLEDGE):
        return False
    return level >= (len(persona.ladder.levels) + 1) // 2


def _companion(primary: str, pool: list[str], usage: Counter[str], avoid: set[str]) -> str | None:
    for candidate in COMPANIONS.get(primary, []):
        if candidate in pool and candidate != primary and candidate not in avoid:
            return candidate
    rest = [t for t in pool if t != primary]
    return _least_used(rest, usage) if rest else None


def _plan(
    persona: Persona,
    level: int,
    signal: Signal | None,
    reaction: Reaction,
    tactics: list[str],
    demand_index: int,
    conceded: str = "",
) -> CounterpartPlan:
    rung = persona.ladder.levels[level]
    demands = persona.demands
    return CounterpartPlan(
        level=level,
        level_name=rung.name,
        posture=rung.posture,
        signal=signal,
        reaction=reaction,
        tactics=tactics,
        demand_index=demand_index,
        demand=demands[demand_index],
        previous_demand=demands[max(0, demand_index - 1)],
        next_demand=demands[min(demand_index + 1, len(demands) - 1)],
        conceded=conceded,
    )
