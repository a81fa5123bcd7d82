"""Pure domain models: no LangGraph, Chainlit or network imports here."""

from coach.domain.assessment import CriterionResult, KeyMoment, SessionReview, TurnAssessment
from coach.domain.errors import (
    CoachError,
    DataFileError,
    InputRejected,
    ModelError,
    ModelUnavailable,
    UnexpectedModelOutput,
    UserError,
)
from coach.domain.persona import (
    TEMPERAMENT_RESPONSES,
    Difficulty,
    Ladder,
    LadderLevel,
    Persona,
    Phrasebook,
    Reaction,
    Response,
    Signal,
    Temperament,
)
from coach.domain.rubric import Criterion, Measure, Rubric
from coach.domain.scenario import Brief, RedLine, Scenario
from coach.domain.tactics import TACTIC_COUNTERS, TACTIC_DESCRIPTIONS, TACTIC_IDS, TacticId
from coach.domain.transcript import (
    CriterionScore,
    RedLineRef,
    ScenarioSummary,
    Transcript,
    Turn,
    TurnLabels,
    load_transcript,
    parse_transcript,
)

__all__ = [
    "TACTIC_COUNTERS",
    "TACTIC_DESCRIPTIONS",
    "TACTIC_IDS",
    "TEMPERAMENT_RESPONSES",
    "Brief",
    "CoachError",
    "Criterion",
    "CriterionResult",
    "CriterionScore",
    "DataFileError",
    "Difficulty",
    "InputRejected",
    "KeyMoment",
    "Ladder",
    "LadderLevel",
    "Measure",
    "ModelError",
    "ModelUnavailable",
    "Persona",
    "Phrasebook",
    "Reaction",
    "RedLine",
    "RedLineRef",
    "Response",
    "Rubric",
    "Scenario",
    "ScenarioSummary",
    "SessionReview",
    "Signal",
    "TacticId",
    "Temperament",
    "Transcript",
    "Turn",
    "TurnAssessment",
    "TurnLabels",
    "UnexpectedModelOutput",
    "UserError",
    "load_transcript",
    "parse_transcript",
]
