"""Structured-output models for the LLM judge, built from the rubric and the scenario.

Each criterion becomes a nested object whose `reasoning` comes before its `score`, so a
model that writes properties in schema order thinks before it commits to a number.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from coach.domain.rubric import Rubric
from coach.domain.tactics import TACTIC_IDS

_STRICT = ConfigDict(extra="forbid", populate_by_name=True)

TacticLiteral = Literal[TACTIC_IDS]  # type: ignore[valid-type]


def _literal(values: tuple[str, ...]) -> Any:
    """Literal[...] over runtime values (typing accepts a tuple subscript)."""
    return Literal[values]  # type: ignore[valid-type]


def _criterion_model(
    criterion_id: str, title: str, quote_from: str = "the judged turn"
) -> type[BaseModel]:
    return create_model(
        f"Criterion_{criterion_id.replace('-', '_')}",
        __config__=_STRICT,
        __doc__=f"Verdict on the criterion {title!r}.",
        reasoning=(str, Field(description="Two or three sentences: which descriptor fits, why.")),
        score=(int, Field(ge=1, le=5, description="The level (1-5) whose descriptor fits best.")),
        evidence=(
            str,
            Field(description=f"A short verbatim quote from {quote_from}; '' if none fits."),
        ),
    )


def trainee_verdict_model(rubric: Rubric, red_line_ids: tuple[str, ...]) -> type[BaseModel]:
    """The verdict model for one trainee turn under `rubric` in a scenario with those red lines.

    Field order is the order the model should think in: criteria (reasoning, score, evidence),
    then the label reasoning, tone, escalation, red-line breaches and tactics named.
    """
    return _trainee_verdict_model(rubric.model_dump_json(), red_line_ids)


@lru_cache(maxsize=64)
def _trainee_verdict_model(rubric_json: str, red_line_ids: tuple[str, ...]) -> type[BaseModel]:
    rubric = Rubric.model_validate_json(rubric_json)
    crit_fields: dict[str, Any] = {}
    for i, c in enumerate(turn_criteria(rubric)):
        crit_fields[f"c{i}"] = (_criterion_model(c.id, c.name), Field(alias=c.id))
    criteria_model = create_model("CriteriaVerdicts", __config__=_STRICT, **crit_fields)
    breach_item = _literal(red_line_ids) if red_line_ids else str
    breach_field = Field(
        description="Ids of red lines this turn gives up (offers, accepts, signals willingness).",
        max_length=len(red_line_ids),
    )
    return create_model(
        "TraineeTurnVerdict",
        __config__=_STRICT,
        criteria=(criteria_model, Field(description="One verdict per rubric criterion.")),
        labels_reasoning=(
            str,
            Field(description="Brief reasoning for tone, escalation, breaches."),
        ),
        tone=(int, Field(ge=1, le=5)),
        escalation=(Literal[-1, 0, 1], Field()),
        red_line_breaches=(list[breach_item], breach_field),  # type: ignore[valid-type]
        tactics_named=(
            list[TacticLiteral],  # type: ignore[valid-type]
            Field(description="Counterpart tactic ids the trainee named or neutralised."),
        ),
    )


def turn_criteria(rubric: Rubric) -> list[Any]:
    """The criteria scored per trainee turn (session-level ones are not)."""
    return [c for c in rubric.criteria if c.applies_to == "trainee_turn"]


def session_criteria(rubric: Rubric) -> list[Any]:
    """The criteria scored once, over the whole session."""
    return [c for c in rubric.criteria if c.applies_to == "session"]


def session_verdict_model(rubric: Rubric) -> type[BaseModel]:
    """The verdict model for a whole session: one object per session criterion (reasoning,
    score, a quote from any trainee turn)."""
    return _session_verdict_model(rubric.model_dump_json())


@lru_cache(maxsize=64)
def _session_verdict_model(rubric_json: str) -> type[BaseModel]:
    rubric = Rubric.model_validate_json(rubric_json)
    fields: dict[str, Any] = {
        f"c{i}": (_criterion_model(c.id, c.name, "one of the trainee's turns"), Field(alias=c.id))
        for i, c in enumerate(session_criteria(rubric))
    }
    criteria_model = create_model("SessionCriteriaVerdicts", __config__=_STRICT, **fields)
    return create_model(
        "SessionVerdict",
        __config__=_STRICT,
        criteria=(criteria_model, Field(description="One verdict per session criterion.")),
    )


class TacticVerdict(BaseModel):
    """The judge's tagging of one counterpart turn."""

    model_config = _STRICT

    reasoning: str = Field(description="One or two sentences on which tactics apply and why.")
    tactics: list[TacticLiteral] = Field(  # type: ignore[valid-type]
        description="Tactic ids used in this turn; [] when none."
    )


def json_schema_of(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema sent to the model (aliases, i.e. criterion ids, as property names).

    A fresh copy each call; parsing the cached text is about 3 times faster than deep-copying
    the schema, and the judge's call sits beside the counterpart's on the trainee's wait."""
    return json.loads(_json_schema_text(model))  # type: ignore[no-any-return]


@lru_cache(maxsize=64)
def _json_schema_text(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(by_alias=True))
