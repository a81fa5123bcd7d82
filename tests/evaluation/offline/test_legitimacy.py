"""Coalitions, legitimacy and international law: a session criterion read over all turns."""

from __future__ import annotations

import pytest

from coach.domain.rubric import Criterion, Measure, Rubric
from coach.domain.transcript import CriterionScore, TurnLabels
from coach.evaluation.offline.legitimacy import read_legitimacy
from coach.evaluation.scoring import aggregate

LAW = "Under Article 9 of the 2004 convention, the quota is ours to set."
FORUM = "This belongs before the Fisheries Commission, which meets in May."
PARTNERS = "We have briefed our partners in the northern group, and they agree."
PLAIN = "No. The quota stays where it is."


@pytest.mark.parametrize(
    ("turns", "score"),
    [
        ([PLAIN, PLAIN], 2),  # isolated: never draws on anyone
        ([PLAIN, LAW], 3),  # once
        ([LAW, PLAIN, "The treaty is clear on this."], 4),  # twice, one kind
        ([LAW, FORUM, PARTNERS], 5),  # three turns, three kinds
        ([LAW, FORUM, "Forget the treaty; let us be practical."], 1),  # disowns the law
        (["We will coordinate with our neighbours before we answer.", PLAIN], 3),
        (["The WHO has the samples.", PLAIN], 3),  # an institution by its acronym
        (["Who decides that?", "Who pays?"], 2),  # "who" is not the WHO
    ],
)
def test_levels_follow_the_descriptors(turns: list[str], score: int) -> None:
    assert read_legitimacy(turns).score == score


def test_quotes_are_the_sentences_that_appeal() -> None:
    read = read_legitimacy([f"Good morning. {LAW}", PLAIN, FORUM, PARTNERS])
    assert read.quotes == [LAW, FORUM, PARTNERS]
    assert "law" in read.reason and "partners" in read.reason


def test_the_session_criterion_is_scored_from_the_turns_and_weighed_in() -> None:
    def criterion(cid: str, **kw: object) -> Criterion:
        levels = {i: f"level {i} text" for i in range(1, 6)}
        return Criterion(
            id=cid, name=cid, description="A test criterion.", weight=1, levels=levels, **kw
        )

    rubric = Rubric(
        id="r",
        title="Test",
        criteria=[
            criterion("tone", measure=Measure.TONE),
            criterion("legit", applies_to="session", measure=Measure.LEGITIMACY),
            criterion("arc", applies_to="session"),  # no offline measure
        ],
    )
    labels = TurnLabels(tone=4, escalation=0, criteria=[CriterionScore(criterion="tone", score=4)])
    labelled = [(1, labels), (3, labels), (5, labels)]
    scores = aggregate(rubric, labelled, [LAW, FORUM, PARTNERS])
    by_id = {c.criterion: c for c in scores.criteria}
    assert by_id["legit"].score == 5 and by_id["legit"].quotes == [LAW, FORUM, PARTNERS]
    assert by_id["arc"].score is None
    assert scores.overall == 4.5  # (4 + 5) / 2: the unscored one does not count
    # without the texts the session criteria stay unscored
    assert {c.criterion: c.score for c in aggregate(rubric, labelled).criteria}["legit"] is None
