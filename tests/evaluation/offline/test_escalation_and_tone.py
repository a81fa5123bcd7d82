"""Escalation and tone rules of the labelling guide, in invented wording."""

from __future__ import annotations

import pytest
from offline_river import RUBRIC, context

from coach.evaluation.offline import OfflineJudge


def labels(judge: OfflineJudge, text: str, previous: str | None = "") -> tuple[int, int]:
    got = judge.assess(context(text, previous), RUBRIC).labels
    return got.tone, got.escalation


@pytest.mark.parametrize(
    ("case", "text", "escalation"),
    [
        (
            "accommodating concession",
            "I hear how much the dry season worries you. We could let your engineers "
            "inspect the dam once, if that helps your minister.",
            -1,
        ),
        ("bare reluctant concession", "Fine. Send your engineers. You leave us no room.", 0),
        ("plea without an offer", "Please, our farmers cannot lose another harvest.", 0),
        ("sarcasm alone", "How thoughtful of Bravik to worry about our turbines.", 0),
        ("accusation of lying", "That is a lie, and you know it.", 1),
        (
            "polite counter-threat",
            "With respect, if the upstream gates stay shut, we will ask the Commission to "
            "freeze Bravik's hydropower credits.",
            1,
        ),
        (
            "proposing a process",
            "Let me propose a joint monitoring team at the gauge station, with a review "
            "after sixty days.",
            -1,
        ),
        ("holding a position", "The complaint before the River Commission is staying.", 0),
        ("insult", "You are a pack of bandits with a sluice gate.", 1),
        ("accusing them of inventing", "Name one farmer. You made up that survey.", 1),
        (
            "retaliation left to the imagination",
            "Try it, and you will soon discover what our coastguard is for.",
            1,
        ),
        ("a promise of openness is no threat", "You will see the report when the public does.", 0),
    ],
)
def test_escalation_rules(judge: OfflineJudge, case: str, text: str, escalation: int) -> None:
    assert labels(judge, text)[1] == escalation, case


def test_sarcasm_lowers_tone(judge: OfflineJudge) -> None:
    tone, _ = labels(judge, "How thoughtful of Bravik to worry about our turbines.")
    assert tone <= 3


@pytest.mark.parametrize(
    ("case", "text", "low", "high"),
    [
        (
            "calm and firm",
            "The answer is no. Our engineers run the dam, and the flow data is public.",
            5,
            5,
        ),
        (
            "minor hedging",
            "I think the answer is no, though I will look at the gauge data again.",
            4,
            4,
        ),
        ("defensive and vague", "Maybe... I suppose we might, perhaps, look at it.", 3, 3),
        ("pleading", "Please, I'm begging you, do not close the gates.", 2, 2),
        ("asking for help is a plea", "Help me. My minister will not survive this.", 2, 2),
        (
            "a listening question is not a plea",
            "Good afternoon. Help me see what your board needs from the spillway schedule.",
            4,
            5,
        ),
        (
            "a polite request is not a plea",
            "Please convey to your minister that the gauge data will be published weekly.",
            4,
            5,
        ),
        (
            "the law's adjective is not an insult",
            "The trawler is evidence in a criminal case; it stays in port until the court rules.",
            4,
            5,
        ),
        (
            "'threatening' as an adjective accuses no one",
            "We can discuss what would make the new sluices look less threatening to you.",
            4,
            5,
        ),
        ("hostile accusation", "This is extortion! You are holding our farmers hostage!", 2, 2),
        ("insulting", "You are liars and thugs.", 1, 1),
        ("abject capitulation", "Yes, whatever you want, just keep the water coming.", 1, 1),
    ],
)
def test_tone_levels(judge: OfflineJudge, case: str, text: str, low: int, high: int) -> None:
    tone, _ = labels(judge, text)
    assert low <= tone <= high, case
