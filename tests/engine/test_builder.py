"""Snapshot of the session graph's drawing: a change of topology must be deliberate."""

from pathlib import Path

from coach.engine.builder import build_graph

SNAPSHOT = Path(__file__).with_name("graph.mmd")


def test_graph_drawing_matches_the_snapshot() -> None:
    drawing = build_graph().compile().get_graph().draw_mermaid()
    if not SNAPSHOT.exists():  # first run writes it; commit it
        SNAPSHOT.write_text(drawing, encoding="utf-8")
    assert drawing == SNAPSHOT.read_text(encoding="utf-8")


def test_every_node_is_named_after_its_module() -> None:
    nodes = set(build_graph().nodes)
    modules = {p.stem for p in (Path(__file__).parents[2] / "coach/engine/nodes").glob("*.py")}
    assert nodes == modules - {"__init__"}
