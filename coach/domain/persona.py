"""Personas: the coercive counterpart, its escalation ladder and its phrasebook."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from coach.domain.base import DataModel
from coach.domain.scenario import SLUG
from coach.domain.tactics import TacticId


class Signal(StrEnum):
    """What a trainee turn did, as the strategist reads it."""

    CONCEDES = "concedes"
    """Gave ground: accepted, offered or signalled movement on a demand."""
    HOLDS_CALMLY = "holds_calmly"
    """Held the position without heat."""
    ESCALATES = "escalates"
    """Counter-threat, accusation, ultimatum of its own, insult."""
    NAMES_TACTIC = "names_tactic"
    """Named the counterpart's tactic out loud ('this is an artificial deadline')."""
    STALLS = "stalls"
    """Deferred, asked for time, or said nothing of substance."""
    PROPOSES_STEPS = "proposes_steps"
    """Proposed verification, a phased, reversible or reciprocal step, or a process."""


class Reaction(StrEnum):
    """How a counterpart turn opens, in answer to the trainee's last move."""

    OPEN = "open"
    PRESS = "press"
    SWITCH = "switch"
    EASE = "ease"
    COUNTER = "counter"
    WARN = "warn"
    DENY = "deny"
    ACKNOWLEDGE = "acknowledge"
    ENGAGE = "engage"
    HURRY = "hurry"


class Temperament(StrEnum):
    """The persona's character; it supplies default responses to each signal."""

    HOTHEAD = "hothead"
    PATIENT = "patient"
    CHARMING = "charming"
    DECEPTIVE = "deceptive"
    CALCULATING = "calculating"


class Response(DataModel):
    """How the persona answers one kind of trainee move."""

    climb: int = Field(ge=-2, le=2, description="Ladder steps: +1 up, -1 down, 0 stay.")
    prefer: list[TacticId] = Field(
        default_factory=list, description="Tactics to lead with, when the repertoire has them."
    )
    switch: bool = Field(
        default=False, description="Avoid the tactics used in the last two counterpart turns."
    )
    reaction: Reaction = Field(description="How the reply opens.")


TEMPERAMENT_RESPONSES: dict[Temperament, dict[Signal, Response]] = {
    Temperament.HOTHEAD: {
        Signal.CONCEDES: Response(climb=1, prefer=["salami_slicing"], reaction=Reaction.PRESS),
        Signal.HOLDS_CALMLY: Response(climb=1, switch=True, reaction=Reaction.SWITCH),
        Signal.ESCALATES: Response(climb=1, prefer=["threat"], reaction=Reaction.COUNTER),
        Signal.NAMES_TACTIC: Response(climb=0, switch=True, reaction=Reaction.DENY),
        Signal.STALLS: Response(climb=1, prefer=["deadline_pressure"], reaction=Reaction.HURRY),
        Signal.PROPOSES_STEPS: Response(climb=0, switch=True, reaction=Reaction.ENGAGE),
    },
    Temperament.PATIENT: {
        Signal.CONCEDES: Response(climb=0, prefer=["salami_slicing"], reaction=Reaction.PRESS),
        Signal.HOLDS_CALMLY: Response(climb=-1, switch=True, reaction=Reaction.EASE),
        Signal.ESCALATES: Response(climb=0, reaction=Reaction.WARN),
        Signal.NAMES_TACTIC: Response(climb=-1, switch=True, reaction=Reaction.ACKNOWLEDGE),
        Signal.STALLS: Response(climb=0, prefer=["salami_slicing"], reaction=Reaction.PRESS),
        Signal.PROPOSES_STEPS: Response(climb=-1, reaction=Reaction.ENGAGE),
    },
    Temperament.CHARMING: {
        Signal.CONCEDES: Response(climb=0, prefer=["salami_slicing"], reaction=Reaction.PRESS),
        Signal.HOLDS_CALMLY: Response(
            climb=0, prefer=["inducement"], switch=True, reaction=Reaction.SWITCH
        ),
        Signal.ESCALATES: Response(climb=1, reaction=Reaction.WARN),
        Signal.NAMES_TACTIC: Response(climb=0, switch=True, reaction=Reaction.ACKNOWLEDGE),
        Signal.STALLS: Response(climb=0, prefer=["deadline_pressure"], reaction=Reaction.HURRY),
        Signal.PROPOSES_STEPS: Response(climb=-1, prefer=["inducement"], reaction=Reaction.ENGAGE),
    },
    Temperament.DECEPTIVE: {
        Signal.CONCEDES: Response(climb=0, prefer=["salami_slicing"], reaction=Reaction.PRESS),
        Signal.HOLDS_CALMLY: Response(
            climb=1, prefer=["disinformation"], switch=True, reaction=Reaction.SWITCH
        ),
        Signal.ESCALATES: Response(climb=1, reaction=Reaction.COUNTER),
        Signal.NAMES_TACTIC: Response(climb=0, prefer=["disinformation"], reaction=Reaction.DENY),
        Signal.STALLS: Response(climb=1, prefer=["fait_accompli"], reaction=Reaction.HURRY),
        Signal.PROPOSES_STEPS: Response(climb=0, switch=True, reaction=Reaction.ENGAGE),
    },
    Temperament.CALCULATING: {
        Signal.CONCEDES: Response(climb=1, prefer=["salami_slicing"], reaction=Reaction.PRESS),
        Signal.HOLDS_CALMLY: Response(climb=0, switch=True, reaction=Reaction.SWITCH),
        Signal.ESCALATES: Response(climb=0, reaction=Reaction.WARN),
        Signal.NAMES_TACTIC: Response(climb=-1, switch=True, reaction=Reaction.ACKNOWLEDGE),
        Signal.STALLS: Response(climb=1, prefer=["fait_accompli"], reaction=Reaction.HURRY),
        Signal.PROPOSES_STEPS: Response(climb=-1, reaction=Reaction.ENGAGE),
    },
}


class LadderLevel(DataModel):
    """One rung of the escalation ladder."""

    name: str = Field(min_length=2, description="Short name, e.g. 'Warning shots'.")
    posture: str = Field(min_length=5, description="How the counterpart behaves at this level.")
    moves: list[TacticId] = Field(min_length=1, description="Tactics allowed at this level.")


class Difficulty(DataModel):
    """A difficulty setting: where on the ladder the persona starts and how high it may go."""

    start: int = Field(ge=0)
    ceiling: int | None = Field(default=None, ge=0)


class Ladder(DataModel):
    """Ordered levels, lowest pressure first, and the rules for moving between them."""

    levels: list[LadderLevel] = Field(min_length=2)
    start: int = Field(default=0, ge=0, description="Index of the opening level.")
    responses: dict[Signal, Response] = Field(
        default_factory=dict,
        description="Overrides of the temperament's response to each trainee signal.",
    )

    @model_validator(mode="after")
    def _start_in_range(self) -> Ladder:
        if self.start >= len(self.levels):
            raise ValueError(f"start {self.start} is past the last level ({len(self.levels) - 1})")
        return self


class Phrasebook(DataModel):
    """Lines the offline speaker renders, with {slots} filled from the scenario's terms."""

    openers: dict[Reaction, list[str]] = Field(
        default_factory=dict, description="Lines that open a reply, by reaction."
    )
    tactics: dict[TacticId, list[str]] = Field(
        default_factory=dict, description="Lines that apply each tactic."
    )
    neutral: list[str] = Field(
        default_factory=list, description="Lines with no coercive tactic (listening, probing)."
    )


class Persona(DataModel):
    """The counterpart, stored as `personas/<id>.yaml`."""

    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=2)
    title: str = Field(min_length=2, description="Office held, e.g. 'Special Envoy'.")
    scenario: str = Field(pattern=SLUG, description="Id of the scenario this persona plays.")
    summary: str = Field(min_length=10, description="One line for the persona picker.")
    voice: str = Field(min_length=10, description="How the persona speaks.")
    temperament: Temperament
    goals: list[str] = Field(min_length=1)
    hidden_bottom_line: str = Field(
        min_length=10, description="What the persona would settle for; never revealed."
    )
    tactics: list[TacticId] = Field(min_length=1, description="The tactic repertoire.")
    demands: list[str] = Field(
        min_length=2,
        description="Concrete demands in the order the persona presses them; each builds on "
        "the one before (salami slicing walks this list).",
    )
    ladder: Ladder
    phrasebook: Phrasebook = Field(default_factory=Phrasebook)
    terms: dict[str, str] = Field(
        default_factory=dict, description="Persona-specific slot values (override the scenario's)."
    )
    difficulties: dict[str, Difficulty] = Field(default_factory=dict)

    def response_to(self, signal: Signal) -> Response:
        """The persona's response to a trainee signal: its own rule, else its temperament's."""
        return self.ladder.responses.get(signal) or TEMPERAMENT_RESPONSES[self.temperament][signal]
