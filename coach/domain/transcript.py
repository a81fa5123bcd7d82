"""The interchange format of transcripts (see evals/README.md): read and written losslessly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from coach.domain.base import OpenModel
from coach.domain.errors import DataFileError

Speaker = Literal["counterpart", "trainee"]
Escalation = Literal[-1, 0, 1]


class RedLineRef(OpenModel):
    """A red line as the interchange format carries it."""

    id: str
    statement: str


class ScenarioSummary(OpenModel):
    """The scenario block of a transcript."""

    id: str
    title: str = ""
    trainee_role: str = ""
    counterpart_role: str = ""
    context: str = ""
    red_lines: list[RedLineRef] = Field(default_factory=list)


class CriterionScore(OpenModel):
    """One rubric criterion scored on one trainee turn."""

    criterion: str
    score: int | None = Field(default=None, ge=1, le=5, description="None when unscored.")
    reason: str = ""
    evidence: str = Field(default="", description="A quote taken verbatim from the turn.")


class TurnLabels(OpenModel):
    """The evaluator's labels on a trainee turn (the guide's three fields, plus extras)."""

    tone: int = Field(ge=1, le=5)
    escalation: Escalation
    red_line_breaches: list[str] = Field(default_factory=list)
    judge: str | None = Field(default=None, description="Which judge produced the labels.")
    criteria: list[CriterionScore] | None = None
    unscored_reason: str | None = None


class Turn(OpenModel):
    """One utterance. Counterpart turns carry `tactics`, trainee turns carry `labels`."""

    speaker: Speaker
    text: str
    tactics: list[str] | None = None
    labels: TurnLabels | None = None


class Transcript(OpenModel):
    """A whole negotiation in the interchange format."""

    id: str
    scenario: ScenarioSummary
    turns: list[Turn] = Field(default_factory=list)

    def to_json(self) -> str:
        """Serialise in the interchange format: what was set, extras kept, nulls omitted."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """The transcript as plain JSON-ready data."""
        return self.model_dump(mode="json", exclude_unset=True, exclude_none=True)

    def trainee_turns(self) -> list[tuple[int, Turn]]:
        """(index, turn) for every trainee turn."""
        return [(i, t) for i, t in enumerate(self.turns) if t.speaker == "trainee"]


def load_transcript(path: str | Path) -> Transcript:
    """Read a transcript file; any problem raises DataFileError naming the file and field."""
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataFileError([f"{path}: not UTF-8 text (byte {err.start})"]) from err
    except OSError as err:
        raise DataFileError([f"{path}: cannot read: {err.strerror}"]) from err
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise DataFileError([f"{path}:{err.lineno}: invalid JSON: {err.msg}"]) from err
    return parse_transcript(data, source=str(path))


def parse_transcript(data: Any, source: str = "<transcript>") -> Transcript:
    """Validate already-parsed JSON data as a transcript."""
    try:
        return Transcript.model_validate(data)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in e["loc"])
            problems.append(f"{source}: {field.replace('.[', '[')}: {e['msg']}")
        raise DataFileError(problems) from err
