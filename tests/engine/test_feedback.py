"""The practice hint: what the turn did, and a counter to the tactic in play that moves on
when the same tactic comes back."""

from __future__ import annotations

from coach.domain import TurnAssessment, TurnLabels
from coach.domain.tactics import TACTIC_COUNTERS
from coach.engine.nodes.feedback import hint_for


def verdict(named: list[str] | None = None) -> TurnAssessment:
    labels = TurnLabels(tone=5, escalation=0, judge="offline")
    return TurnAssessment(turn_index=1, labels=labels, tactics_named=named or [])


def test_a_new_tactic_gets_its_counter() -> None:
    hint = hint_for(verdict(), ["inducement"], {}, answered=["linkage"])
    assert hint.endswith(f"Now: inducement. {TACTIC_COUNTERS['inducement']}")


def test_a_repeated_tactic_gets_a_different_hint_from_last_time() -> None:
    first = hint_for(verdict(), ["inducement"], {}, answered=["linkage"])
    again = hint_for(verdict(), ["inducement"], {}, answered=["inducement"])
    assert again != first and TACTIC_COUNTERS["inducement"] not in again
    assert (
        again == "Inducement again: it keeps working until you name it. Name it calmly, "
        "then restate what you can offer."
    )


def test_a_repeated_tactic_the_trainee_named_is_not_argued_again() -> None:
    hint = hint_for(verdict(["threat"]), ["threat"], {}, answered=["threat"])
    assert hint.startswith("Good: you named their tactic")
    assert "Still threat, though you named it: do not argue it again" in hint


def test_the_fresh_tactic_of_a_turn_is_coached_before_the_repeated_one() -> None:
    hint = hint_for(verdict(), ["threat", "deadline_pressure"], {}, answered=["threat"])
    assert f"Now: deadline pressure. {TACTIC_COUNTERS['deadline_pressure']}" in hint


def test_no_tactic_invites_a_question_and_a_step() -> None:
    assert "ask a question" in hint_for(verdict(), [], {}, answered=["threat"])


def test_naming_a_tactic_that_was_not_in_play_is_not_praised() -> None:
    hint = hint_for(verdict(["deadline_pressure"]), ["threat"], {}, answered=["linkage"])
    assert "Good: you named" not in hint
    assert hint.startswith(
        "You named deadline pressure, but the move you answered was linkage: name the one in play."
    )
    right = hint_for(verdict(["linkage"]), ["threat"], {}, answered=["linkage", "threat"])
    assert right.startswith("Good: you named their tactic")
