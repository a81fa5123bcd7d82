"""JSON Schemas of the data files, generated from the pydantic models.

Editors with the YAML language server read them through the `$schema` comment on each
file's first line, so trainers see mistakes and completions as they type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coach.library.loader import KINDS, MODELS, Kind

DEFAULT_OUT = Path("schemas")


def schema_for(kind: Kind) -> dict[str, Any]:
    """The JSON Schema of one kind of data file."""
    schema = MODELS[kind].model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{kind}.schema.json",
        **schema,
    }


def render_schema(kind: Kind) -> str:
    """The schema as the committed file holds it (stable key order, trailing newline)."""
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"


def schema_file_name(kind: Kind) -> str:
    """`persona` -> `persona.schema.json`."""
    return f"{kind}.schema.json"


def write_schemas(out_dir: str | Path = DEFAULT_OUT) -> list[Path]:
    """Write every kind's schema into `out_dir`; returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = out / schema_file_name(kind)
        path.write_text(render_schema(kind), encoding="utf-8")
        written.append(path)
    return written
