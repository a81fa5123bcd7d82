"""Rubrics: trainer-written criteria with Prometheus-style level descriptors."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from coach.domain.base import DataModel
from coach.domain.scenario import SLUG


class Measure(StrEnum):
    """What the offline judge measures for a criterion (the LLM judge reads the descriptors)."""

    TONE = "tone"
    RED_LINES = "red_lines"
    ESCALATION = "escalation"
    TACTIC_RECOGNITION = "tactic_recognition"
    LISTENING = "listening"
    ALTERNATIVES = "alternatives"
    TEMPO = "tempo"
    LEGITIMACY = "legitimacy"
    """A session measure: partners, forum and law drawn on across the whole session."""


SESSION_MEASURES = frozenset({Measure.LEGITIMACY})


class Criterion(DataModel):
    """One thing the rubric scores, from 1 (poor) to 5 (excellent)."""

    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=2)
    description: str = Field(min_length=10)
    weight: float = Field(gt=0, le=10)
    applies_to: Literal["trainee_turn", "session"] = "trainee_turn"
    measure: Measure | None = Field(
        default=None, description="How the offline judge scores it; None: LLM judge only."
    )
    blocker: bool = Field(
        default=False, description="A compliance blocker: any failure fails the session."
    )
    levels: dict[int, str] = Field(description="Descriptors for the scores 1 to 5.")

    @model_validator(mode="after")
    def _measure_fits_scope(self) -> Criterion:
        if self.measure in SESSION_MEASURES and self.applies_to != "session":
            raise ValueError(
                f"measure {self.measure.value!r} reads a whole session: set applies_to: session"
            )
        return self

    @field_validator("levels")
    @classmethod
    def _five_levels(cls, value: dict[int, str]) -> dict[int, str]:
        missing = [k for k in range(1, 6) if k not in value]
        extra = [k for k in value if k not in range(1, 6)]
        if missing or extra:
            parts = []
            if missing:
                parts.append("missing " + ", ".join(map(str, missing)))
            if extra:
                parts.append("unexpected " + ", ".join(map(str, extra)))
            raise ValueError("levels must be exactly 1 to 5 (" + "; ".join(parts) + ")")
        for k, text in value.items():
            if len(text.strip()) < 5:
                raise ValueError(f"level {k} needs a descriptor a trainer can apply")
        return value


class Rubric(DataModel):
    """A set of weighted criteria, stored as `rubrics/<id>.yaml`."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=3)
    description: str = ""
    pass_mark: float = Field(default=3.0, ge=1, le=5, description="Weighted mean needed to pass.")
    criteria: list[Criterion] = Field(min_length=1)

    @field_validator("criteria")
    @classmethod
    def _unique_ids(cls, value: list[Criterion]) -> list[Criterion]:
        seen: set[str] = set()
        for c in value:
            if c.id in seen:
                raise ValueError(f"criterion id {c.id!r} is used twice")
            seen.add(c.id)
        return value

    def criterion(self, criterion_id: str) -> Criterion | None:
        """The criterion with that id, if any."""
        return next((c for c in self.criteria if c.id == criterion_id), None)
