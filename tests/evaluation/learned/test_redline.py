"""The red-line head's conversation features (second stage), with a toy embedder."""

from __future__ import annotations

import numpy as np

from coach.evaluation.offline.learned.redline import (
    N_CONTEXT,
    context_features,
    demand_clauses,
    red_line_content,
)

STATEMENTS = [
    "Vessia will not allow foreign inspectors at its reactor sites.",
    "Vessia will not cut its grain exports to the southern ports.",
]


class ToyEmbedder:
    """Unit vectors on two axes: "inspect" texts on the first, "grain" texts on the second."""

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = []
        for t in texts:
            v = np.array([("inspect" in t.lower()) * 1.0, ("grain" in t.lower()) * 1.0, 0.1])
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32)


def test_a_package_is_cut_into_its_items() -> None:
    prev = "Then we sign tomorrow: forty inspectors, the grain quota halved and the talks closed."
    assert demand_clauses(prev) == [
        "Then we sign tomorrow",
        "forty inspectors",
        "the grain quota halved",
        "the talks closed.",
    ]
    assert demand_clauses(None) == []


def test_red_line_content_drops_the_refusal() -> None:
    assert red_line_content(STATEMENTS[0]) == "allow foreign inspectors at its reactor sites."


def test_without_history_only_the_package_columns_speak() -> None:
    base = np.zeros((2, 34), dtype=np.float32)
    prev = "We sign today: inspectors at every site, and the grain quota stays."
    ctx = context_features(ToyEmbedder(), base, "Agreed.", prev, STATEMENTS, 0.6, [])
    assert ctx.shape == (2, N_CONTEXT)
    assert np.all(ctx[:, :8] == 0)
    # both red lines have an item of their own in the package, and "Agreed." accepts it
    assert ctx[0, 8] > 0.9 and ctx[1, 8] > 0.9
    assert np.allclose(ctx[:, 9], ctx[:, 8])


def test_an_earlier_concession_echoed_now_is_carried() -> None:
    base = np.zeros((2, 34), dtype=np.float32)
    earlier = [
        ("We can take the twelve inspectors at Kest.", np.array([0.9, 0.05], np.float32)),
        ("No.", np.array([0.0, 0.0], np.float32)),
    ]  # most recent first: the concession came last
    echo = context_features(
        ToyEmbedder(), base, "Twelve inspectors at Kest, as said.", None, STATEMENTS, 0.3, earlier
    )
    other = context_features(
        ToyEmbedder(), base, "Our budget is final.", None, STATEMENTS, 0.3, earlier
    )
    assert echo[0, 0] == other[0, 0] == np.float32(0.9)  # the highest earlier probability
    assert echo[0, 1] == np.float32(0.9)  # the last trainee turn
    assert echo[0, 2] > 0.5 and other[0, 2] == 0  # words shared with the conceding turn
    assert echo[1, 2] < echo[0, 2]
    assert not np.any(echo[:, 8])  # no counterpart turn, no package


def test_package_scores_read_the_closest_item_of_the_demand() -> None:
    from coach.evaluation.offline.learned.redline import package_scores

    prev = "Forty inspectors at the reactor sites, and the talks closed."
    scores = package_scores(ToyEmbedder(), STATEMENTS, prev)  # type: ignore[arg-type]
    assert scores[0] > 0.9 > scores[1]
    assert package_scores(ToyEmbedder(), STATEMENTS, None).tolist() == [0.0, 0.0]  # type: ignore[arg-type]


def test_a_demand_presses_the_lines_its_items_name() -> None:
    from coach.evaluation.offline.learned.redline import pressed_lines

    lines = [("inspectors", STATEMENTS[0]), ("grain", STATEMENTS[1])]
    toy = ToyEmbedder()
    assert pressed_lines(toy, lines, "Forty inspectors, and the talks closed.") == ["inspectors"]  # type: ignore[arg-type]
    both = "Forty inspectors, and the grain quota halved."
    assert pressed_lines(toy, lines, both) == ["inspectors", "grain"]  # type: ignore[arg-type]
    assert pressed_lines(toy, lines, None) == []  # type: ignore[arg-type]
