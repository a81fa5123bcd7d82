"""Tactic tagging conventions of the labelling guide, in invented wording."""

from __future__ import annotations

import pytest
from offline_river import context

from coach.evaluation.offline import OfflineJudge


def tags(judge: OfflineJudge, text: str) -> list[str]:
    return judge.tag(context(text, previous=None, speaker="counterpart"))


def test_threat_with_deadline_is_both(judge: OfflineJudge) -> None:
    got = tags(judge, "Unless the complaint is withdrawn by Friday, we will cut the flow.")
    assert "threat" in got and "deadline_pressure" in got
    assert "ultimatum" not in got  # no explicit finality


def test_ultimatum_needs_finality(judge: OfflineJudge) -> None:
    got = tags(judge, "This is our final offer, take it or leave it: sign, or we cut the flow.")
    assert "ultimatum" in got and "threat" in got


def test_punishment_from_a_hardliner_is_good_cop_bad_cop(judge: OfflineJudge) -> None:
    got = tags(
        judge,
        "The General is furious and wants to close the gates. I can hold him back, but "
        "only if you give me something.",
    )
    assert "good_cop_bad_cop" in got
    assert "threat" not in got


def test_publish_or_shame_is_public_pressure(judge: OfflineJudge) -> None:
    got = tags(judge, "If you refuse, I will tell the journalists who starved the delta.")
    assert "public_pressure" in got


def test_own_legal_position_is_not_disinformation(judge: OfflineJudge) -> None:
    got = tags(judge, "Under the 1962 treaty the upper Tessel is ours to manage.")
    assert "disinformation" not in got


def test_hearsay_is_disinformation(judge: OfflineJudge) -> None:
    got = tags(judge, "Your own water minister told us last week that the complaint is dead.")
    assert "disinformation" in got


@pytest.mark.parametrize(
    ("text", "tactic"),
    [
        ("As of this morning our engineers control the sluices. That is done.", "fait_accompli"),
        ("In return, we will finance a new pumping station for your delta.", "inducement"),
        ("Your partners in the basin will not stand with you; you are alone.", "divide_and_rule"),
    ],
)
def test_other_tactics(judge: OfflineJudge, text: str, tactic: str) -> None:
    assert tactic in tags(judge, text)


def test_neutral_turn_has_no_tactic(judge: OfflineJudge) -> None:
    assert tags(judge, "We have read your proposal and will reply through the usual channel.") == []


@pytest.mark.xfail(
    strict=True,
    reason="known false alarm: the learned head reads the counterpart's time words as deadline "
    "pressure even when they only schedule its own reply (probability 0.30 against a threshold "
    "of 0.29; it was 0.230 against 0.23 before the conversation stage). Requiring the rules' "
    "deadline cue as well loses more than it saves out of sample (evals/unseen: F1 for "
    "deadline pressure 0.65 -> 0.63).",
)
def test_a_promise_to_reply_tomorrow_is_not_deadline_pressure(judge: OfflineJudge) -> None:
    assert tags(judge, "Thank you. I will read your draft tonight and call you tomorrow.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Say no again and the Valmer Courier prints the whole file on Saturday.",
        "Tomorrow morning our state television broadcasts the footage from the sluice gates.",
        "By noon your minister's face will be on every screen in the capital.",
        "Our journalists already have the list; it runs tonight unless you sign.",
    ],
)
def test_a_threat_to_go_to_the_media_is_public_pressure(judge: OfflineJudge, text: str) -> None:
    from coach.evaluation.offline.tactics import threatens_publicity

    assert threatens_publicity(text)
    assert "public_pressure" in tags(judge, text)


@pytest.mark.parametrize(
    "text",
    [
        "The new tariff schedule went to print on Monday; it is already law.",
        "The decree was published in the Official Gazette this morning.",
        "Our air force chief flew in last night and wants an answer.",
    ],
)
def test_a_reported_publication_or_an_air_force_is_no_media_threat(text: str) -> None:
    from coach.evaluation.offline.tactics import threatens_publicity

    assert not threatens_publicity(text)
