"""Red-teaming a persona: simulated trainees of several styles play it, and a report shows how
it behaved and whether the rubric tells good play from bad."""

from coach.redteam.metrics import (
    Contradiction,
    Repeat,
    find_contradictions,
    find_leaks,
    find_repeats,
    jaccard,
)
from coach.redteam.report import (
    Flag,
    RedteamReport,
    StyleSummary,
    build_report,
    discrimination_flags,
    summarise,
    write_report,
)
from coach.redteam.results import ExchangeTurn, RunResult
from coach.redteam.runner import play_run, run_redteam
from coach.redteam.styles import (
    STYLES,
    LLMTrainee,
    SimulatedTrainee,
    TemplateTrainee,
    TraineeTurnContext,
    make_trainee,
    trainee_prompt,
)

__all__ = [
    "STYLES",
    "Contradiction",
    "ExchangeTurn",
    "Flag",
    "LLMTrainee",
    "RedteamReport",
    "Repeat",
    "RunResult",
    "SimulatedTrainee",
    "StyleSummary",
    "TemplateTrainee",
    "TraineeTurnContext",
    "build_report",
    "discrimination_flags",
    "find_contradictions",
    "find_leaks",
    "find_repeats",
    "jaccard",
    "make_trainee",
    "play_run",
    "run_redteam",
    "summarise",
    "trainee_prompt",
    "write_report",
]
