"""The concession reading behind the strategist's signals."""

import pytest

from coach.evaluation.offline.signals import gives_ground

# Giving ground on a demand that is not a red line still reads as a concession.
DEMAND = "We require that your ferries pay the new harbour levy from the first of the month."


@pytest.mark.parametrize(
    "text",
    [
        "Fine.",
        "Very well, the ferries can pay the harbour levy from the first of the month.",
        "If it helps, we could accept the harbour levy on our ferries.",
        "All right, the new levy will apply to the ferries.",
    ],
)
def test_giving_what_was_demanded_is_ground_given(text: str) -> None:
    assert gives_ground(text, DEMAND)


@pytest.mark.parametrize(
    "text",
    [
        "No. Our ferries will not pay a levy that was never negotiated.",
        "We can offer a joint review of harbour costs instead.",
        "What would the levy be spent on?",
        "The levy is not on the table; the timetable is.",
    ],
)
def test_refusing_asking_or_offering_something_else_is_not(text: str) -> None:
    assert not gives_ground(text, DEMAND)
