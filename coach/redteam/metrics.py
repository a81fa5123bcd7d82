"""Checks on how the counterpart behaved in one run: repeats, contradictions, leaks.

Contradictions are found by two heuristics that can be checked from the text alone:

- `demand_retreat`: the counterpart presses a demand EARLIER in its demand list than one it
  pressed before (the pressed demand is the furthest of the persona's demands a turn names,
  verbatim or as a close paraphrase). The strategist only walks the list forward, so the
  phrasebook counterpart cannot do this; an LLM counterpart that forgets what it asked can.
- `final_offer_moved`: a turn that applies `ultimatum` (a "final" offer) presses a different
  demand from an earlier ultimatum turn: the final offer was not final.

Neither catches contradictions about facts, numbers or dates (a deadline stated twice with
different hours is often two deadlines, not one changed), which the text alone cannot settle.
"""

from __future__ import annotations

from pydantic import BaseModel

from coach.domain.persona import Persona
from coach.engine.safety import content_words, leaks_bottom_line
from coach.redteam.brief import pressed_demand

NEAR_DUPLICATE = 0.8
"""Jaccard similarity of content-word sets above which two utterances count as repeats."""


class Repeat(BaseModel):
    """Two counterpart turns (1-based numbers) that say the same thing."""

    kind: str
    """'exact' or 'near'."""
    first: int
    second: int
    similarity: float


class Contradiction(BaseModel):
    """A counterpart turn (1-based number) at odds with an earlier one."""

    kind: str
    """'demand_retreat' or 'final_offer_moved'."""
    turn: int
    earlier: int
    detail: str


def jaccard(a: str, b: str) -> float:
    """Similarity of two texts' content-word sets (0 to 1)."""
    left, right = set(content_words(a)), set(content_words(b))
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def find_repeats(texts: list[str], threshold: float = NEAR_DUPLICATE) -> list[Repeat]:
    """Every pair of utterances that repeats exactly (ignoring case and spacing) or nearly
    (Jaccard similarity of content words above `threshold`)."""
    out = []
    for j, later in enumerate(texts):
        for i in range(j):
            if _normal(texts[i]) == _normal(later):
                out.append(Repeat(kind="exact", first=i + 1, second=j + 1, similarity=1.0))
                continue
            score = jaccard(texts[i], later)
            if score > threshold:
                near = Repeat(kind="near", first=i + 1, second=j + 1, similarity=round(score, 2))
                out.append(near)
    return out


def demand_path(persona: Persona, texts: list[str]) -> list[int | None]:
    """The pressed demand's index in each counterpart turn (None when it names none)."""
    return [pressed_demand(persona, t) for t in texts]


def find_contradictions(
    persona: Persona, texts: list[str], tactics: list[list[str]]
) -> list[Contradiction]:
    """Demand retreats and moved final offers (see the module's docstring)."""
    path = demand_path(persona, texts)
    out: list[Contradiction] = []
    furthest: tuple[int, int] | None = None  # (demand index, turn number)
    last_final: tuple[int, int] | None = None
    for n, (index, used) in enumerate(zip(path, tactics, strict=True), start=1):
        if index is None:
            continue
        if furthest is not None and index < furthest[0]:
            out.append(
                Contradiction(
                    kind="demand_retreat",
                    turn=n,
                    earlier=furthest[1],
                    detail=f"presses demand {index + 1} ({persona.demands[index]!r}) after "
                    f"demand {furthest[0] + 1} in turn {furthest[1]}",
                )
            )
        if furthest is None or index > furthest[0]:
            furthest = (index, n)
        if "ultimatum" in used:
            if last_final is not None and index != last_final[0]:
                out.append(
                    Contradiction(
                        kind="final_offer_moved",
                        turn=n,
                        earlier=last_final[1],
                        detail=f"final offer on demand {index + 1} after a final offer on "
                        f"demand {last_final[0] + 1} in turn {last_final[1]}",
                    )
                )
            last_final = (index, n)
    return out


def find_leaks(bottom_line: str, texts: list[str]) -> list[int]:
    """Counterpart turns (1-based) that state the hidden bottom line (`leaks_bottom_line`)."""
    return [n for n, text in enumerate(texts, start=1) if leaks_bottom_line(text, bottom_line)]
