"""An invented scenario (a river dispute) for the offline judge's tests."""

from __future__ import annotations

from coach.domain.rubric import SESSION_MEASURES, Criterion, Measure, Rubric
from coach.domain.transcript import RedLineRef, ScenarioSummary, Turn
from coach.evaluation.base import TurnContext

SCENARIO = ScenarioSummary(
    id="river-dam",
    title="Dam on the Tessel",
    trainee_role="State Secretary of Aldonia",
    counterpart_role="Chief Negotiator of the Bravik Republic",
    context="Bravik controls the upper Tessel. Aldonia's Marrow reservoir holds "
    "400 million cubic metres in summer.",
    red_lines=[
        RedLineRef(
            id="no-bravik-engineers",
            statement="Aldonia will not allow Bravik military engineers to operate or "
            "inspect the Marrow dam.",
        ),
        RedLineRef(
            id="keep-complaint",
            statement="Aldonia will not withdraw or suspend its complaint before the "
            "River Commission.",
        ),
        RedLineRef(
            id="flow-cap",
            statement="Aldonia will not release more than 30% of the reservoir's summer flow "
            "to Bravik.",
        ),
    ],
)

RUBRIC = Rubric(
    id="test",
    title="Test rubric",
    criteria=[
        Criterion(
            id=m.value.replace("_", "-"),
            name=m.value,
            description="A criterion for the tests.",
            weight=1,
            measure=m,
            levels={i: f"level {i} text" for i in range(1, 6)},
        )
        for m in Measure
        if m not in SESSION_MEASURES
    ]
    + [
        Criterion(
            id="creativity",
            name="Creativity",
            description="Only the LLM judge can score this.",
            weight=1,
            levels={i: f"level {i} text" for i in range(1, 6)},
        ),
        Criterion(
            id="overall-arc",
            name="Arc",
            description="A session-level criterion.",
            weight=1,
            applies_to="session",
            measure=Measure.TONE,
            levels={i: f"level {i} text" for i in range(1, 6)},
        ),
    ],
)

DEMAND = (
    "Our engineers will take over the sluice controls at the Marrow dam from Monday, "
    "and they will inspect the turbines every week."
)


def context(
    text: str,
    previous: str | None = DEMAND,
    speaker: str = "trainee",
    scenario: ScenarioSummary = SCENARIO,
) -> TurnContext:
    """A turn in the river scenario (or `scenario`), answering `previous` (a counterpart
    turn)."""
    history = [Turn(speaker="counterpart", text=previous)] if previous else []
    return TurnContext(
        scenario=scenario,
        history=history,
        turn=Turn(speaker=speaker, text=text),  # type: ignore[arg-type]
        turn_index=len(history),
    )
