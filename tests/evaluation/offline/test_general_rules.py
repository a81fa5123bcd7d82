"""General rules added for unseen scenarios: speech acts, morphology, phrasal verbs, cues."""

from __future__ import annotations

import pytest
from offline_river import RUBRIC, context

from coach.domain.transcript import RedLineRef, ScenarioSummary, Turn
from coach.evaluation.offline import OfflineJudge
from coach.evaluation.offline.offers import has_acceptance, offer_strength
from coach.evaluation.offline.red_lines import concepts, find_breaches
from coach.evaluation.offline.tactics import tag_tactics
from coach.evaluation.offline.text import stem


@pytest.mark.parametrize(
    "clause",
    [
        "a monthly visit could perhaps be arranged",
        "a shorter window might be looked at",
        "we would not rule out a visit",
        "I will take the proposal to my cabinet",
    ],
)
def test_impersonal_and_tentative_offers(clause: str) -> None:
    assert offer_strength(clause, clause + ".") > 0


@pytest.mark.parametrize(
    "clause",
    ["Sure, why not", "Let's do that", "we can work with that", "that is a fair compromise"],
)
def test_acceptance_forms(clause: str) -> None:
    assert has_acceptance(clause)


def test_refusal_wins_over_offer_words() -> None:
    text = "that is not something we can accept"
    assert offer_strength(text, text + ".") == 0


def test_short_plurals_share_a_stem() -> None:
    assert stem("keys") == stem("key")
    assert stem("logs") == stem("log")
    assert stem("bias") == "bias"  # -as, -us, -is, -ss endings are not plurals


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("we could put the hearing on hold", "suspend"),
        ("we will walk your experts through the data", "share"),
        ("they would hand the files over", "share"),
        ("the inspectors are kept out of the valley", "exclude"),
        ("an officer would accompany each team", "patrol"),
    ],
)
def test_phrasal_verbs_and_synonyms(text: str, concept: str) -> None:
    assert concept in {m.concept for m in concepts(text)}


def test_apology_for_own_words_is_not_a_retraction(judge: OfflineJudge) -> None:
    text = "I withdraw what I said about your minister; it was unworthy of these talks."
    assert judge.assess(context(text, ""), RUBRIC).labels.red_line_breaches == []


@pytest.mark.parametrize(
    ("text", "tactic"),
    [
        ("Refuse, and the power lines to your north are switched off.", "threat"),
        ("Until then, we will suspend all landing rights.", "threat"),
        ("Exports of fertiliser stop on the first of the month.", "threat"),
        ("Our offer stands only until Thursday.", "deadline_pressure"),
        ("Sign with us and you would pay a third less for every tonne.", "inducement"),
        (
            "My generals want to close the crossing; I am the one holding them back.",
            "good_cop_bad_cop",
        ),
    ],
)
def test_general_tactic_frames(text: str, tactic: str) -> None:
    assert tactic in tag_tactics(text, []), text


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("How very considerate of you to worry about our harvest.", 2, 3),
        ("You are a rogue regime and everyone knows it.", 1, 1),
        ("Wait, wait. My job depends on this, there has to be some way.", 2, 2),
    ],
)
def test_general_tone_cues(judge: OfflineJudge, text: str, low: int, high: int) -> None:
    assert low <= judge.assess(context(text, ""), RUBRIC).labels.tone <= high


def test_counter_threat_frame_escalates(judge: OfflineJudge) -> None:
    text = "Should your boats enter our bay again, we shall recall our ambassador."
    assert judge.assess(context(text, ""), RUBRIC).labels.escalation == 1


def test_counter_threat_with_dismissal_is_hostile(judge: OfflineJudge) -> None:
    text = "Print what you like. We will publish the whole file and ask our partners to act."
    assert judge.assess(context(text, ""), RUBRIC).labels.tone == 2


@pytest.mark.parametrize(
    "text",
    ["I propose that our experts meet next week.", "My door stays open, whatever you decide."],
)
def test_process_and_openness_lower_the_temperature(judge: OfflineJudge, text: str) -> None:
    assert judge.assess(context(text, ""), RUBRIC).labels.escalation == -1


# A red line that forbids accepting something *without* a safeguard is kept by an offer that
# includes the safeguard, and crossed by one that drops it. (Invented scenario and wording.)
SAFEGUARD_SCENARIO = ScenarioSummary(
    id="bridge-tolls",
    title="Bridge tolls",
    trainee_role="Transport Minister of Velm",
    counterpart_role="Envoy of Ostra",
    context="Ostra wants to raise tolls on the Velm bridge and to run the toll booths itself.",
    red_lines=[
        RedLineRef(
            id="no-unaudited-tolls",
            statement="Velm will not agree to any toll increase that lacks an independent "
            "audit of the bridge accounts.",
        )
    ],
)


def _breaches(text: str, demand: str) -> list[str]:
    history = [Turn(speaker="counterpart", text=demand)]
    return [b.red_line for b in find_breaches(SAFEGUARD_SCENARIO, text, history)]


def test_an_offer_that_keeps_the_safeguard_keeps_the_line() -> None:
    demand = "Agree to a toll increase of 15% from March."
    kept = "We could agree to a toll increase of 10%, provided the bridge accounts are audited "
    kept += "independently every year."
    assert _breaches(kept, demand) == []


def test_an_offer_that_drops_the_safeguard_crosses_the_line() -> None:
    demand = "Agree to a toll increase of 15% from March, and forget the audit."
    dropped = "We could agree to a toll increase of 10% without the independent audit."
    assert _breaches(dropped, demand) == ["no-unaudited-tolls"]


def test_restating_the_line_word_for_word_is_not_a_breach() -> None:
    demand = "Raise the tolls by 15% and we can talk about the audit later."
    restated = (
        "Let me be precise: Velm will not agree to any toll increase, in exchange for anything, "
        "that lacks an independent audit of the bridge accounts."
    )
    assert _breaches(restated, demand) == []
