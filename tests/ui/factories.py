"""Small domain objects and a fake engine for the UI tests (no library files needed)."""

from __future__ import annotations

from typing import Any

from coach.domain.assessment import CriterionResult, KeyMoment, SessionReview
from coach.domain.persona import Persona
from coach.domain.rubric import Rubric
from coach.domain.scenario import Scenario
from coach.domain.transcript import (
    CriterionScore,
    ScenarioSummary,
    Transcript,
    Turn,
    TurnLabels,
)

LEVELS = {k: f"descriptor for level {k}" for k in range(1, 6)}


def scenario() -> Scenario:
    """A two-red-line scenario."""
    return Scenario.model_validate(
        {
            "id": "harbour",
            "title": "The Harbour Talks",
            "trainee_role": "Envoy of Amrana",
            "counterpart_role": "Minister of Tarsen",
            "context": "Tarsen wants the harbour; Amrana wants to keep it open to all ships.",
            "brief": {
                "objectives": ["Keep the harbour open", "Agree joint monitoring"],
                "red_lines": [
                    {"id": "no-cession", "statement": "We never cede the harbour to Tarsen."},
                    {"id": "no-veto", "statement": "We give Tarsen no veto over shipping."},
                ],
                "fallback": "Refer the dispute to the regional court and wait.",
                "may_concede": ["A joint port authority"],
            },
            "facts": ["The harbour handles 40% of trade."],
        }
    )


def persona() -> Persona:
    """A persona with a three-level ladder and two difficulties."""
    return Persona.model_validate(
        {
            "id": "minister-test",
            "name": "Orla Test",
            "title": "Minister of Ports",
            "scenario": "harbour",
            "summary": "A bully with a stopwatch and a short fuse.",
            "voice": "Short, loud sentences.",
            "temperament": "hothead",
            "goals": ["Take the harbour"],
            "hidden_bottom_line": "Would settle for a joint authority.",
            "tactics": ["ultimatum", "threat"],
            "demands": ["the harbour keys", "a veto over shipping"],
            "ladder": {
                "levels": [
                    {"name": "Opening", "posture": "Polite but firm.", "moves": ["threat"]},
                    {"name": "Pressure", "posture": "Raises voice.", "moves": ["threat"]},
                    {"name": "Ultimatum", "posture": "Final offers.", "moves": ["ultimatum"]},
                ]
            },
            "difficulties": {"easy": {"start": 0}, "hard": {"start": 1}},
        }
    )


def rubric() -> Rubric:
    """Two criteria, one a blocker."""
    return Rubric.model_validate(
        {
            "id": "default",
            "title": "Default rubric",
            "criteria": [
                {
                    "id": "calm",
                    "name": "Calm",
                    "description": "Keeps a calm tone throughout.",
                    "weight": 1,
                    "levels": LEVELS,
                },
                {
                    "id": "red-lines",
                    "name": "Red lines",
                    "description": "Holds every red line.",
                    "weight": 2,
                    "blocker": True,
                    "levels": LEVELS,
                },
            ],
        }
    )


def transcript(moves: int = 2) -> Transcript:
    """Counterpart opening, then `moves` trainee/counterpart exchanges with scores."""
    turns = [Turn(speaker="counterpart", text="Give me the harbour.", tactics=["threat"])]
    for n in range(1, moves + 1):
        labels = TurnLabels(
            tone=4,
            escalation=0,
            criteria=[
                CriterionScore(criterion="calm", score=2 + n),
                CriterionScore(criterion="red-lines", score=None),
            ],
        )
        turns.append(Turn(speaker="trainee", text=f"My move {n}.", labels=labels))
        turns.append(Turn(speaker="counterpart", text=f"Reply {n}.", tactics=["ultimatum"]))
    return Transcript(
        id="s-1", scenario=ScenarioSummary(id="harbour", title="The Harbour Talks"), turns=turns
    )


def review(passed: bool = False) -> SessionReview:
    """A review with one breach and three moments."""
    return SessionReview(
        passed=passed,
        outcome="You conceded the veto under pressure.",
        overall=2.5,
        criteria=[
            CriterionResult(
                criterion="calm", name="Calm", weight=1, score=3.5, quotes=["My move 1."]
            ),
            CriterionResult(criterion="red-lines", name="Red lines", weight=2, score=None),
        ],
        breaches=[] if passed else [{"red_line": "no-veto", "turn_index": 3, "quote": "Fine."}],
        escalation_path=[0, 1, 2],
        moments=[
            KeyMoment(
                turn_index=1,
                quote="My move 1.",
                what_happened="Held calmly.",
                better_alternative="Name the threat.",
            ),
            KeyMoment(
                turn_index=3,
                quote="My move 2.",
                what_happened="Gave ground.",
                better_alternative="Refuse the slice.",
            ),
        ],
    )


class FakeView:
    """The fields of the engine's SessionView that the UI reads."""

    def __init__(self, session_id: str = "s-abc123", user: str = "alice", **changes: Any):
        self.session_id = session_id
        self.user = user
        self.persona = persona()
        self.scenario = scenario()
        self.rubric = rubric()
        self.mode = "practice"
        self.difficulty = "easy"
        self.transcript = transcript(0)
        self.level = 0
        self.level_name = "Opening"
        self.ledger: list[dict[str, Any]] = []
        self.scorecard: dict[str, float | None] = {"calm": None, "red-lines": None}
        self.last_hint: str | None = None
        self.ended = False
        self.review: SessionReview | None = None
        self.backend = "offline phrasebook (no LLM configured)"
        for key, value in changes.items():
            setattr(self, key, value)

    @property
    def trainee_turns(self) -> int:
        """Moves played on this branch."""
        return len(self.transcript.trainee_turns())


class FakeOutcome:
    """A TurnOutcome stand-in."""

    def __init__(self, view: FakeView, **changes: Any):
        self.accepted = True
        self.error: str | None = None
        self.reply: Turn | None = Turn(speaker="counterpart", text="Sign now or else.")
        self.hint: str | None = "Ultimatum: restate your position and propose a process."
        self.model_error: str | None = None
        self.view = view
        for key, value in changes.items():
            setattr(self, key, value)


class FakeService:
    """Records the calls the handlers make; answers with FakeViews."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.views: dict[str, FakeView] = {"s-abc123": FakeView()}
        self.tokens = ["Sign ", "now ", "or else."]
        self.review_calls_a_model = False

    async def view(self, session_id: str) -> FakeView:
        from coach.domain.errors import UserError

        if session_id not in self.views:
            raise UserError(f"no session {session_id!r}")
        return self.views[session_id]

    async def start(self, **kwargs: Any) -> FakeView:
        self.calls.append(("start", kwargs))
        view = FakeView(session_id="s-new", user=kwargs["user"], mode=kwargs["mode"])
        self.views["s-new"] = view
        return view

    async def send(self, session_id: str, text: str, *, on_token: Any = None) -> FakeOutcome:
        self.calls.append(("send", text))
        for token in self.tokens:
            if on_token:
                await on_token(token)
        view = self.views[session_id]
        view.transcript = transcript(1)
        return FakeOutcome(view)

    async def rewind(self, session_id: str, trainee_turn: int) -> FakeView:
        self.calls.append(("rewind", trainee_turn))
        return self.views[session_id]

    async def end(self, session_id: str) -> SessionReview:
        self.calls.append(("end", session_id))
        view = self.views[session_id]
        view.ended, view.review, view.transcript = True, review(), transcript(2)
        return review()

    async def branches(self, session_id: str) -> list[Any]:
        return []
