"""Scenarios: the situation, the trainee's brief and the facts both sides know."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from coach.domain.base import DataModel

SLUG = r"^[a-z0-9][a-z0-9-]*$"


class RedLine(DataModel):
    """A line the trainee's mandate forbids crossing; breaching one fails the session."""

    id: str = Field(pattern=SLUG, description="Short slug, unique in the scenario.")
    statement: str = Field(
        min_length=10, description="One sentence, in the trainee's government's voice."
    )


class Brief(DataModel):
    """What the trainee reads before the first move."""

    objectives: list[str] = Field(min_length=1, description="What the trainee should achieve.")
    red_lines: list[RedLine] = Field(min_length=1, description="What must never be conceded.")
    fallback: str = Field(
        min_length=10, description="The trainee's best alternative to a negotiated agreement."
    )
    may_concede: list[str] = Field(
        default_factory=list, description="What the mandate allows the trainee to give."
    )

    @field_validator("red_lines")
    @classmethod
    def _unique_red_lines(cls, value: list[RedLine]) -> list[RedLine]:
        seen: set[str] = set()
        for line in value:
            if line.id in seen:
                raise ValueError(f"red line id {line.id!r} is used twice")
            seen.add(line.id)
        return value


class Scenario(DataModel):
    """A negotiation situation, stored as `personas/scenarios/<id>.yaml`."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=3)
    trainee_role: str = Field(min_length=3)
    counterpart_role: str = Field(min_length=3)
    context: str = Field(min_length=20, description="Two to five sentences of situation brief.")
    brief: Brief
    facts: list[str] = Field(default_factory=list, description="The fact sheet, one per line.")
    terms: dict[str, str] = Field(
        default_factory=dict,
        description="Named values (dates, numbers, names) that phrasebook slots like "
        "{deadline} draw on.",
    )

    @model_validator(mode="after")
    def _terms_are_slugs(self) -> Scenario:
        for key in self.terms:
            if not key.replace("_", "").isalnum():
                raise ValueError(f"term name {key!r} must be letters, digits and underscores")
        return self

    @property
    def red_lines(self) -> list[RedLine]:
        """The brief's red lines."""
        return self.brief.red_lines

    def red_line(self, red_line_id: str) -> RedLine | None:
        """The red line with that id, if any."""
        return next((r for r in self.brief.red_lines if r.id == red_line_id), None)
