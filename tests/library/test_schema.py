"""The committed JSON Schemas match the models, and the schema command writes them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.library.loader import KINDS, Kind
from coach.library.schema import render_schema, schema_file_name, write_schemas

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_is_up_to_date(kind: Kind) -> None:
    committed = REPO / "schemas" / schema_file_name(kind)
    assert committed.read_text(encoding="utf-8") == render_schema(kind), (
        f"{committed} is stale: run `coach schema` and commit the result"
    )


def test_schema_lists_tactics_for_editor_completion() -> None:
    schema = json.loads(render_schema("persona"))
    assert "ultimatum" in schema["properties"]["tactics"]["items"]["enum"]
    assert schema["additionalProperties"] is False
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_write_schemas(tmp_path: Path) -> None:
    written = write_schemas(tmp_path / "out")
    assert [p.name for p in written] == [
        "persona.schema.json",
        "scenario.schema.json",
        "rubric.schema.json",
    ]
    assert all(json.loads(p.read_text())["title"] for p in written)
