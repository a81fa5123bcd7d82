"""A small, complete persona, scenario and rubric for engine tests (independent of the data)."""

from __future__ import annotations

from coach.domain import Persona, Rubric, Scenario

SCENARIO = Scenario.model_validate(
    {
        "id": "river-lock",
        "title": "River lock closure",
        "trainee_role": "Transport Minister of Aldor",
        "counterpart_role": "Deputy Premier of Brisk",
        "context": "Brisk closed the Orne river lock to Aldorian barges on 3 May, citing "
        "safety. Aldor's exports by barge have halved. Talks open in a neutral capital.",
        "brief": {
            "objectives": ["Reopen the lock to Aldorian barges", "Keep allies informed"],
            "red_lines": [
                {
                    "id": "no-toll-surcharge",
                    "statement": "Aldor will not pay a surcharge on barge tolls to Brisk.",
                },
                {
                    "id": "no-customs-posts",
                    "statement": "Aldor will not allow Brisk customs officers on Aldorian barges.",
                },
            ],
            "fallback": "Rail freight through Cerin at 20% higher cost for six months.",
            "may_concede": ["a joint safety inspection of the lock", "a shared lock timetable"],
        },
        "facts": ["The lock carried 4,000 barges last year."],
        "terms": {"deadline": "Friday noon", "hardliner": "the Premier"},
    }
)

PERSONA = Persona.model_validate(
    {
        "id": "deputy-vorn",
        "name": "Deputy Premier Vorn",
        "title": "Deputy Premier",
        "scenario": "river-lock",
        "summary": "A hothead who issues ultimatums on a clock.",
        "voice": "Clipped, impatient, fond of deadlines.",
        "temperament": "hothead",
        "goals": ["A toll surcharge", "Customs posts on barges"],
        "hidden_bottom_line": "Brisk would reopen the lock for a joint safety inspection alone.",
        "tactics": [
            "extreme_anchor",
            "deadline_pressure",
            "threat",
            "ultimatum",
            "salami_slicing",
            "inducement",
        ],
        "demands": [
            "a 5% toll surcharge",
            "a 10% toll surcharge",
            "Brisk customs posts on barges",
            "a permanent surcharge",
        ],
        "ladder": {
            "levels": [
                {
                    "name": "Opening",
                    "posture": "Firm but civil.",
                    "moves": ["extreme_anchor", "inducement"],
                },
                {
                    "name": "Pressure",
                    "posture": "Deadlines and warnings.",
                    "moves": ["deadline_pressure", "threat", "salami_slicing"],
                },
                {
                    "name": "Ultimatum",
                    "posture": "Final demands.",
                    "moves": ["ultimatum", "threat", "deadline_pressure"],
                },
            ],
            "start": 0,
        },
        "phrasebook": {
            "openers": {"open": ["Minister."], "press": ["Good."], "switch": ["Then hear this."]},
            "tactics": {
                "extreme_anchor": ["We start from {first_demand}.", "Nothing less than {demand}."],
                "deadline_pressure": ["You have until {deadline}.", "By {deadline}, or never."],
                "threat": ["We will close the lock for the season.", "Your barges will rot."],
                "ultimatum": ["Final offer: {demand}. Take it or leave it."],
                "salami_slicing": [
                    "You said {conceded}. Now {demand}.",
                    "Since you said {conceded}, one more small step: {demand}.",
                ],
                "inducement": ["Agree and we waive the lock fees for a year."],
            },
            "neutral": ["What can you offer?"],
        },
        "difficulties": {"standard": {"start": 0}, "hard": {"start": 1}},
    }
)

CRITERION_LEVELS = {
    1: "very poor work",
    2: "poor work",
    3: "adequate work",
    4: "good work",
    5: "excellent work",
}

RUBRIC = Rubric.model_validate(
    {
        "id": "default",
        "title": "Test rubric",
        "pass_mark": 3.0,
        "criteria": [
            {
                "id": "tone",
                "name": "Tone",
                "description": "Composure and precision.",
                "weight": 1,
                "measure": "tone",
                "levels": CRITERION_LEVELS,
            },
            {
                "id": "red-lines",
                "name": "Red lines",
                "description": "Never crossing a red line.",
                "weight": 2,
                "measure": "red_lines",
                "blocker": True,
                "levels": CRITERION_LEVELS,
            },
            {
                "id": "escalation",
                "name": "Escalation",
                "description": "Managing escalation.",
                "weight": 1,
                "measure": "escalation",
                "levels": CRITERION_LEVELS,
            },
        ],
    }
)


class FixedLibrary:
    """A library holding the fixtures above (the engine needs only `snapshot`)."""

    def snapshot(self, persona_id, scenario_id=None, rubric_id=None):  # type: ignore[no-untyped-def]
        return (
            PERSONA.model_copy(deep=True),
            SCENARIO.model_copy(deep=True),
            RUBRIC.model_copy(deep=True),
            {"persona": "p1", "scenario": "s1", "rubric": "r1"},
        )
